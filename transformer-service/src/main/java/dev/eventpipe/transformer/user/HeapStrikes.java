package dev.eventpipe.transformer.user;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per transformation version, the requests in a row in which its own calls filled the heap (a memory stop of a
 * call that itself allocated a large share of the heap, {@link dev.eventpipe.transformer.sandbox.ScriptFailure#filledTheHeap}).
 * From {@code limit} strikes on (default one), the version runs in a process of its own ({@link VersionProcesses}),
 * where its heap trouble fails its events instead of making the whole request retryable; it stays there while it is
 * remembered (a request in its own process does not forgive it: the fill may depend on the event, and coming back
 * would cost every tenant in the shared requests another 503). Below the limit, a request in which all its calls
 * complete clears its strikes. Counted in the transformer because only
 * the transformer knows whose call filled the heap: the caller sees a 503 that could as well mean "overloaded". At
 * most {@code capacity} versions are remembered (least recently struck forgotten first), so a tenant making many
 * versions cannot grow this without bound; a forgotten version starts again from none.
 */
final class HeapStrikes {
    private final int limit;
    private final Map<String, Integer> strikes;

    HeapStrikes(int limit, int capacity) {
        this.limit = Math.max(1, limit);
        this.strikes = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > Math.max(1, capacity);
            }
        };
    }

    /** True when this version's calls filled the heap in {@code limit} requests: run it in its own process. */
    synchronized boolean struck(String versionKey) {
        return strikes.getOrDefault(versionKey, 0) >= limit;
    }

    /** A request in which one of this version's calls filled the heap; returns its strikes now. */
    synchronized int strike(String versionKey) {
        return strikes.merge(versionKey, 1, Integer::sum);
    }

    /** A request in which every call of this version completed: its strikes are forgiven. */
    synchronized void clear(String versionKey) {
        strikes.remove(versionKey);
    }

    int limit() {
        return limit;
    }
}
