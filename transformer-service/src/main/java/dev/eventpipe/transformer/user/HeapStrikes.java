package dev.eventpipe.transformer.user;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

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
 *
 * <p><b>A workspace's versions are exiled together</b> (issue 14 audit): an editor can save any number of versions
 * (and transformations), and each new version id used to start from none, so each new hoarding version bought one
 * more 503 for every tenant whose events shared its request. So an exile also marks the version's <i>owner</i> (its
 * workspace, as the config backend names it; {@link UserCode#owner}): while the owner has a version in exile, each
 * of its versions runs in its own process at once, with no strike and no 503 first. Exiles double per owner too
 * (a new version's exile is as long as its workspace's next one), and memory trouble of any of the owner's versions
 * in its own process starts the owner's time again. So a workspace, whatever versions it makes, costs the shared
 * requests one 503 round per exile, and its exiles grow ever longer. Its other transformations pay for it: they run
 * in processes of their own too (slots shared with every struck version) until the exile ends.
 */
final class HeapStrikes {
    private static final int MAX_DOUBLINGS = 16;

    private final int limit;
    private final long probationNanos;
    private final LongSupplier clock;
    private final Map<String, Record> records;
    private final Map<String, Owner> owners;

    /** A version's strikes in a row, the exiles it has had, and the end of its exile (while {@code exiled}). */
    private static final class Record {
        int strikes;
        int exiles;
        boolean exiled;
        long exileEndsNanos;
    }

    /** An owner's exiles (of any of its versions), and the end of the latest while {@code exiled}. */
    private static final class Owner {
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
        this.owners = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Owner> eldest) {
                return size() > Math.max(1, capacity);
            }
        };
    }

    /** {@link #struck(String, String)} of a version whose owner is not known. */
    boolean struck(String versionKey) {
        return struck(versionKey, null);
    }

    /** {@link #strike(String, String)} of a version whose owner is not known. */
    int strike(String versionKey) {
        return strike(versionKey, null);
    }

    /**
     * True while this version is exiled, or its owner ({@code null}: not known) has a version in exile: run it in its
     * own process. An exile ends here once its time is up.
     */
    synchronized boolean struck(String versionKey, @Nullable String ownerKey) {
        long now = clock.getAsLong();
        boolean struck = false;
        Record record = records.get(versionKey);
        if (record != null && record.exiled) {
            if (now - record.exileEndsNanos >= 0) {
                record.exiled = false;
                record.strikes = 0;
            } else {
                struck = true;
            }
        }
        Owner owner = ownerKey == null ? null : owners.get(ownerKey);
        if (owner != null && owner.exiled) {
            if (now - owner.exileEndsNanos >= 0) {
                owner.exiled = false;
            } else {
                struck = true;
            }
        }
        return struck;
    }

    /** A request in which one of this version's calls filled the shared heap; returns its strikes now. */
    synchronized int strike(String versionKey, @Nullable String ownerKey) {
        Record record = records.computeIfAbsent(versionKey, k -> new Record());
        record.strikes++;
        if (!record.exiled && record.strikes >= limit) {
            long now = clock.getAsLong();
            record.exiled = true;
            record.exiles++;
            int exiles = record.exiles;
            Owner owner = ownerKey == null ? null : owners.computeIfAbsent(ownerKey, k -> new Owner());
            if (owner != null) {
                owner.exiles++;
                exiles = Math.max(exiles, owner.exiles);
            }
            record.exileEndsNanos = now + exile(exiles);
            if (owner != null) {
                owner.exileEndsNanos = owner.exiled && owner.exileEndsNanos - record.exileEndsNanos > 0
                        ? owner.exileEndsNanos
                        : record.exileEndsNanos;
                owner.exiled = true;
            }
        }
        return record.strikes;
    }

    /** {@link #troubleInOwnProcess(String, String)} of a version whose owner is not known. */
    void troubleInOwnProcess(String versionKey) {
        troubleInOwnProcess(versionKey, null);
    }

    /**
     * Memory trouble of this version in its own process (a call filled its heap there): its probation starts again,
     * and its owner's, whether the version was exiled itself or for its owner.
     */
    synchronized void troubleInOwnProcess(String versionKey, @Nullable String ownerKey) {
        long now = clock.getAsLong();
        Owner owner = ownerKey == null ? null : owners.get(ownerKey);
        int ownerExiles = owner == null ? 0 : owner.exiles;
        Record record = records.get(versionKey);
        if (record != null && record.exiled) {
            record.exileEndsNanos = now + exile(Math.max(record.exiles, ownerExiles));
        }
        if (owner != null && owner.exiled) {
            owner.exileEndsNanos = now + exile(ownerExiles);
        }
    }

    /** A request in which every call of this version completed in the shared transformer: its strikes are forgiven. */
    synchronized void clear(String versionKey) {
        Record record = records.get(versionKey);
        if (record != null && !record.exiled) {
            record.strikes = 0; // its exiles are remembered: the next one is longer
        }
    }

    /** The length of an exile that is the {@code exiles}-th (1: one probation; each next one twice as long). */
    private long exile(int exiles) {
        int doublings = Math.min(MAX_DOUBLINGS, Math.max(0, exiles - 1));
        long nanos = probationNanos << doublings;
        return nanos < 0 || (doublings > 0 && nanos >> doublings != probationNanos) ? Long.MAX_VALUE / 4 : nanos;
    }

    int limit() {
        return limit;
    }
}
