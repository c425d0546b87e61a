package dev.eventpipe.gateway.write;

import dev.eventpipe.jobsdb.NewJob;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request's jobs between the HTTP thread and the writer. The state decides who owns the jobs: the writer
 * claims them ({@code QUEUED -> CLAIMED}) before writing, the waiting request withdraws them on timeout
 * ({@code QUEUED -> WITHDRAWN}). Exactly one of the two wins, so a request answered 504 was never written.
 */
final class PendingWrite {
    private static final int QUEUED = 0;
    private static final int CLAIMED = 1;
    private static final int WITHDRAWN = 2;

    final List<NewJob> jobs;
    final long bytes;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final CompletableFuture<WriteOutcome> outcome = new CompletableFuture<>();

    PendingWrite(List<NewJob> jobs, long bytes) {
        this.jobs = jobs;
        this.bytes = bytes;
    }

    /** Called by the writer; false when the request has already given up. */
    boolean claim() {
        return state.compareAndSet(QUEUED, CLAIMED);
    }

    void complete(WriteOutcome result) {
        outcome.complete(result);
    }

    /**
     * Waits for the outcome. After {@code timeout}, gives up if the writer has not claimed the jobs yet; otherwise
     * keeps waiting, because the write is under way and its result (bounded by the database timeouts) decides.
     */
    WriteOutcome await(Duration timeout) {
        try {
            return outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (state.compareAndSet(QUEUED, WITHDRAWN)) return new WriteOutcome.TimedOut();
            return join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (state.compareAndSet(QUEUED, WITHDRAWN)) return new WriteOutcome.TimedOut();
            return join();
        } catch (ExecutionException e) {
            return new WriteOutcome.Failed();
        }
    }

    private WriteOutcome join() {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return outcome.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return new WriteOutcome.Failed();
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
