package dev.eventpipe.transformer.user;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per transformation version, the requests in a row in which its own calls filled the shared heap (a memory stop of
 * a call that itself held a large share of the heap, {@link
 * dev.eventpipe.transformer.sandbox.ScriptFailure#filledTheHeap}), and its exile. From {@code limit} strikes on
 * (default one), the version runs in a process of its own ({@link VersionProcesses}), where its heap trouble fails
 * its events instead of making the whole request retryable. Below the limit, a request in which all its calls
 * complete clears its strikes.
 *
 * <p>The exile ends: after {@code probation} with no memory trouble in its own process ({@link #troubleInOwnProcess}:
 * a call that filled its heap there starts the time again), the version runs in the shared transformer again
 * (review-solo P1-1: a version struck wrongly, or one whose hoard was a passing bug, is not confined to a small heap
 * for ever). Each exile is twice as long as the one before (probation, 2 x, 4 x, ...): a version that hoards again
 * after each return costs the shared requests one 503 per return, and returns ever more rarely. The time runs
 * whether or not the version has calls: a hoarder that keeps quiet for its probation comes back and costs one
 * more 503 round, and a new version id starts from none (review-solo P2-4). Counted in the
 * transformer because only the transformer knows whose call filled the heap: the caller sees a 503 that could as
 * well mean "overloaded". At most {@code capacity} versions are remembered (least recently used forgotten first),
 * so a tenant making many versions cannot grow this without bound; a forgotten version starts again from none.
 */
final class HeapStrikes {
    private static final int MAX_DOUBLINGS = 16;

    private final int limit;
    private final long probationNanos;
    private final LongSupplier clock;
    private final Map<String, Record> records;

    /** A version's strikes in a row, the exiles it has had, and the end of its exile (while {@code exiled}). */
    private static final class Record {
        int strikes;
        int exiles;
        boolean exiled;
        long exileEndsNanos;
    }

    HeapStrikes(int limit, int capacity, Duration probation, LongSupplier clock) {
        this.limit = Math.max(1, limit);
        this.probationNanos = Math.max(0, probation.toNanos());
        this.clock = clock;
        this.records = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Record> eldest) {
                return size() > Math.max(1, capacity);
            }
        };
    }

    /** True while this version is exiled: run it in its own process. Its exile ends here once its time is up. */
    synchronized boolean struck(String versionKey) {
        Record record = records.get(versionKey);
        if (record == null || !record.exiled) {
            return false;
        }
        if (clock.getAsLong() - record.exileEndsNanos >= 0) {
            record.exiled = false;
            record.strikes = 0;
            return false;
        }
        return true;
    }

    /** A request in which one of this version's calls filled the shared heap; returns its strikes now. */
    synchronized int strike(String versionKey) {
        Record record = records.computeIfAbsent(versionKey, k -> new Record());
        record.strikes++;
        if (!record.exiled && record.strikes >= limit) {
            record.exiled = true;
            record.exiles++;
            record.exileEndsNanos = clock.getAsLong() + exile(record);
        }
        return record.strikes;
    }

    /**
     * Memory trouble of this version in its own process (a call filled its heap there): its probation starts again.
     */
    synchronized void troubleInOwnProcess(String versionKey) {
        Record record = records.get(versionKey);
        if (record != null && record.exiled) {
            record.exileEndsNanos = clock.getAsLong() + exile(record);
        }
    }

    /** A request in which every call of this version completed in the shared transformer: its strikes are forgiven. */
    synchronized void clear(String versionKey) {
        Record record = records.get(versionKey);
        if (record != null && !record.exiled) {
            record.strikes = 0; // its exiles are remembered: the next one is longer
        }
    }

    private long exile(Record record) {
        int doublings = Math.min(MAX_DOUBLINGS, Math.max(0, record.exiles - 1));
        long nanos = probationNanos << doublings;
        return nanos < 0 || (doublings > 0 && nanos >> doublings != probationNanos) ? Long.MAX_VALUE / 4 : nanos;
    }

    int limit() {
        return limit;
    }
}
