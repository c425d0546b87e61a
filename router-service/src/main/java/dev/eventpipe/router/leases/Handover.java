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
 * given back or lost is no longer {@link RouterLeases#owned() owned}, so no new pickup or send starts on it (queued
 * jobs are dropped by their workers, and recovered by the next owner); {@link #lost} then waits for the pickup in
 * progress and for the jobs handed over to settle, and only when it returns may the lease be released. A partition
 * gained is worked on only after the jobs left {@code executing} in it are recovered as {@code failed}; that too waits
 * until this replica's own work on it has stopped, for a partition it kept (leased, not worked on) after a give-back
 * whose work did not stop in time may still have jobs queued here: recovered while they still go out, the dropped
 * ones would be retried after their users' later jobs.
 */
public final class Handover implements PartitionLeases.Listener {
    private static final Logger log = LoggerFactory.getLogger(Handover.class);

    private final JobsDbs jobsDbs;
    private final InFlight inFlight;
    private final Barrier barrier;
    private final Duration leaseTtl;
    // held by a pickup cycle; a handover takes it to wait for the cycle in progress
    private final ReentrantLock pickupLock = new ReentrantLock();

    public Handover(JobsDbs jobsDbs, InFlight inFlight, Barrier barrier, RouterProperties properties) {
        this.jobsDbs = jobsDbs;
        this.inFlight = inFlight;
        this.barrier = barrier;
        this.leaseTtl = properties.leaseTtl();
    }

    /** Runs one pickup; a handover of partitions waits for it to end. */
    public boolean duringPickup(BooleanSupplier pickup) {
        pickupLock.lock();
        try {
            return pickup.getAsBoolean();
        } finally {
            pickupLock.unlock();
        }
    }

    /**
     * Recovers the partitions' {@code executing} jobs once this replica's own work on them has stopped. If that takes
     * longer than a quarter of the lease ttl, throws {@link PartitionLeases.NotReady}: the partitions are not worked
     * on, and acquired again on a later round. A recovery that fails throws its own error, and partitions whose
     * recovery keeps failing are released after a few rounds ({@link PartitionLeases#MAX_FAILED_TAKE_UPS}).
     */
    @Override
    public void acquired(Set<Integer> partitions) {
        whenWorkStopped(partitions, () -> {
            int recovered = jobsDbs.recovery().failExecuting(Queue.RT, partitions);
            if (recovered > 0) log.atInfo().addKeyValue("jobs", recovered).log("recovered executing jobs as failed");
        });
    }

    /**
     * Waits for the pickup in progress and for the jobs handed over to settle; only then may the leases be
     * released. If that takes longer than a quarter of the lease ttl, throws: the leases are kept and given back on
     * a later round.
     */
    @Override
    public void lost(Set<Integer> partitions) {
        whenWorkStopped(partitions, () -> {});
    }

    /**
     * Once the pickup in progress has ended and every job of the partitions handed to a worker has settled
     * (committed, or dropped by its worker): forgets their ordering state, which the stored statuses now tell in full,
     * and runs {@code then}. Throws when that does not happen within a quarter of the lease ttl.
     */
    private void whenWorkStopped(Set<Integer> partitions, Runnable then) {
        long deadline = System.nanoTime() + leaseTtl.dividedBy(4).toNanos();
        try {
            awaitPickupInProgress(deadline);
            while (inFlight.hasAny(partitions)) {
                if (System.nanoTime() > deadline)
                    throw new PartitionLeases.NotReady("deliveries in flight did not settle in time");
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PartitionLeases.NotReady("interrupted", e);
        }
        barrier.forgetPartitions(partitions);
        inFlight.forgetPartitions(partitions);
        then.run();
    }

    /**
     * Waits for the pickup in progress, which may have read the partitions as owned before they stopped being so. A
     * later pickup does not read them (they are not {@link RouterLeases#owned() owned}: gained ones not yet, lost
     * ones no longer), so from here on no job of them is handed over, and the wait for those handed over to settle
     * need not hold the lock, which would stop the pickup of every other partition meanwhile.
     */
    private void awaitPickupInProgress(long deadline) throws InterruptedException {
        if (!pickupLock.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS))
            throw new PartitionLeases.NotReady("the pickup did not finish in time");
        pickupLock.unlock();
    }
}
