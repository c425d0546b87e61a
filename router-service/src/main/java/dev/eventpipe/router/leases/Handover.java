package dev.eventpipe.router.leases;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.PartitionLeases;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.ordering.Barrier;
import dev.eventpipe.router.ordering.InFlight;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to this replica's work when partitions come and go (the fenced handover, review P0-2). A partition
 * gained is worked on only after the jobs its previous holder left {@code executing} are recovered as
 * {@code failed}. A partition given back or lost is no longer {@link RouterLeases#owned() owned}, so no new pickup
 * or send starts on it (queued jobs are dropped by their workers, and recovered by the next owner); {@link #lost}
 * then waits for the pickup in progress and for the jobs handed over to settle, and only when it returns may the
 * lease be released.
 */
public final class Handover implements PartitionLeases.Listener {
    private static final Logger log = LoggerFactory.getLogger(Handover.class);

    private final JobsDbs jobsDbs;
    private final InFlight inFlight;
    private final Barrier barrier;
    private final Duration leaseTtl;
    // held by a pickup cycle, and by a give-back of partitions while it waits for their work to stop
    private final ReentrantLock pickupLock = new ReentrantLock();

    public Handover(JobsDbs jobsDbs, InFlight inFlight, Barrier barrier, RouterProperties properties) {
        this.jobsDbs = jobsDbs;
        this.inFlight = inFlight;
        this.barrier = barrier;
        this.leaseTtl = properties.leaseTtl();
    }

    /** Runs one pickup; a give-back waits for it to end before it releases partitions. */
    public boolean duringPickup(BooleanSupplier pickup) {
        pickupLock.lock();
        try {
            return pickup.getAsBoolean();
        } finally {
            pickupLock.unlock();
        }
    }

    @Override
    public void acquired(Set<Integer> partitions) {
        // partitions kept after a give-back whose work had not stopped: let it end first
        awaitSettled(partitions);
        int recovered = jobsDbs.recovery().failExecuting(Queue.RT, partitions);
        if (recovered > 0) log.atInfo().addKeyValue("jobs", recovered).log("recovered executing jobs as failed");
    }

    /**
     * Waits for the pickup in progress and for the jobs handed over to settle; only then may the leases be
     * released. If that takes longer than a quarter of the lease ttl, throws: the leases are kept and given back on
     * a later round.
     */
    @Override
    public void lost(Set<Integer> partitions) {
        long deadline = System.nanoTime() + leaseTtl.dividedBy(4).toNanos();
        try {
            if (!pickupLock.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS))
                throw new IllegalStateException("the pickup did not finish in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        try {
            while (inFlight.hasAny(partitions)) {
                if (System.nanoTime() > deadline)
                    throw new IllegalStateException("deliveries in flight did not settle in time");
                Thread.sleep(10);
            }
            barrier.forgetPartitions(partitions);
            inFlight.forgetPartitions(partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pickupLock.unlock();
        }
    }

    private void awaitSettled(Set<Integer> partitions) {
        long deadline = System.nanoTime() + leaseTtl.dividedBy(4).toNanos();
        try {
            while (inFlight.hasAny(partitions) && System.nanoTime() < deadline) Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
