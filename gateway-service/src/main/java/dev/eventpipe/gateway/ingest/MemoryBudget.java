package dev.eventpipe.gateway.ingest;

import java.util.concurrent.Semaphore;

/**
 * Bounds the memory held by requests being parsed and written. A parsed body costs several times its size (the
 * JSON tree, the enriched payload strings), so without a bound many concurrent large bodies could exhaust the heap;
 * with it, the request that does not fit is answered 503 at once. Charged in KiB.
 */
final class MemoryBudget {
    /** What one body byte costs while its request is in flight: the raw bytes, the tree and the payload text. */
    static final int COST_PER_BODY_BYTE = 6;

    private final Semaphore kib;

    MemoryBudget(long maxBytes) {
        this.kib = new Semaphore((int) Math.min(Integer.MAX_VALUE, Math.max(1, maxBytes / 1024)));
    }

    /** Reserves the cost of a body; 0 when it does not fit now, else the amount to give back. */
    int tryReserve(int bodyBytes) {
        int cost = (int) Math.max(1, (long) bodyBytes * COST_PER_BODY_BYTE / 1024);
        return kib.tryAcquire(cost) ? cost : 0;
    }

    void release(int reserved) {
        if (reserved > 0) kib.release(reserved);
    }
}
