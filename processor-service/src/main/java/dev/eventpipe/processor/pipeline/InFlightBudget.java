package dev.eventpipe.processor.pipeline;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the pipeline holds between fetch and commit: how many batches and how many gw payload bytes (as stored,
 * {@code payload_size}). The fetch thread asks for room before each fetch and reads no more than the room left;
 * the store thread gives a batch's share back when the batch is committed or dropped. So memory is bounded by the
 * limits whatever the speed of the later stages (a queue of fetched batches once grew the processor to 2.5 GB).
 */
final class InFlightBudget {
    private final int maxBatches;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int batches;
    private long bytes;

    InFlightBudget(int maxBatches, long maxBytes) {
        if (maxBatches <= 0 || maxBytes <= 0) throw new IllegalArgumentException("limits must be positive");
        this.maxBatches = maxBatches;
        this.maxBytes = maxBytes;
    }

    /**
     * Waits at most {@code wait} for room for one more batch; returns the payload bytes that batch may read (at
     * least 1: a fetch returns at least one job), or 0 when there was no room in time.
     */
    long awaitRoom(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while (batches >= maxBatches || bytes >= maxBytes) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return 0;
                changed.awaitNanos(left);
            }
            return maxBytes - bytes;
        } finally {
            lock.unlock();
        }
    }

    /** A fetched batch of {@code payloadBytes} enters the pipeline (after {@link #awaitRoom}, same thread). */
    void add(long payloadBytes) {
        lock.lock();
        try {
            batches++;
            bytes += payloadBytes;
        } finally {
            lock.unlock();
        }
    }

    /** A batch left the pipeline: committed, or dropped. */
    void release(long payloadBytes) {
        lock.lock();
        try {
            if (batches == 0) throw new IllegalStateException("released more batches than were added");
            batches--;
            bytes -= payloadBytes;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits at most {@code wait} until no batch is in flight; true when none is. */
    boolean awaitEmpty(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            while (batches > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    int batches() {
        lock.lock();
        try {
            return batches;
        } finally {
            lock.unlock();
        }
    }

    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }
}
