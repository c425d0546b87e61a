package dev.eventpipe.gateway.ingest;

import java.util.concurrent.Semaphore;

/**
 * Bounds the memory held by requests being read, parsed and written. A body costs several times its size while
 * its request is in flight (the raw bytes, the JSON tree, the enriched payload strings), so without a bound many
 * concurrent large bodies could exhaust the heap; with it, the request that does not fit is answered 503 at once.
 * The cost is reserved before the bytes are read: all of it from {@code Content-Length}, or chunk by chunk while
 * reading a body of unknown length (chunked or gzip), so a body is never in memory without its reservation.
 * Charged in KiB.
 */
final class MemoryBudget {
    /** What one body byte costs while its request is in flight: the raw bytes, the tree and the payload text. */
    static final int COST_PER_BODY_BYTE = 6;

    private final Semaphore kib;

    MemoryBudget(long maxBytes) {
        this.kib = new Semaphore((int) Math.min(Integer.MAX_VALUE, Math.max(1, maxBytes / 1024)));
    }

    /** An empty reservation for one request; grow it before holding more of the body, close it at the end. */
    Reservation reservation() {
        return new Reservation();
    }

    private static int kibFor(long bodyBytes) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (bodyBytes * COST_PER_BODY_BYTE + 1023) / 1024));
    }

    /** One request's share of the budget. Not thread-safe: one request thread uses it. */
    final class Reservation implements AutoCloseable {
        private int reservedKib;
        private long coveredBytes;

        /** Makes the reservation cover a body of {@code bodyBytes}; false (nothing more taken) when it does not fit. */
        boolean cover(long bodyBytes) {
            if (bodyBytes <= coveredBytes) return true;
            int more = kibFor(bodyBytes) - reservedKib;
            if (more > 0 && !kib.tryAcquire(more)) return false;
            reservedKib += Math.max(0, more);
            coveredBytes = bodyBytes;
            return true;
        }

        long coveredBytes() {
            return coveredBytes;
        }

        @Override
        public void close() {
            if (reservedKib > 0) kib.release(reservedKib);
            reservedKib = 0;
            coveredBytes = 0;
        }
    }
}
