package dev.eventpipe.router.pickup;

import dev.eventpipe.jobsdb.LeaseLostException;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.delivery.Worker;
import dev.eventpipe.router.leases.Handover;
import dev.eventpipe.router.leases.RouterLeases;
import dev.eventpipe.router.leases.RouterPhases;
import dev.eventpipe.router.ordering.Barrier;
import dev.eventpipe.router.ordering.InFlight;
import dev.eventpipe.router.status.RtJob;
import dev.eventpipe.router.status.StatusCommitter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The pickup loop: pickup → commit of the pickup's statuses → hand-over to the destination workers, whose results
 * the {@link StatusCommitter} writes; at once again while jobs were handed over, else after the poll interval or the
 * next commit. Lifecycle phase {@link RouterPhases#PICKUP}: started last, once the leases are held and the committer
 * and workers run; stopped first, so nothing is handed over while the rest stops.
 */
public final class PickupLoop implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(PickupLoop.class);

    private final RouterProperties properties;
    private final WorkspaceConfigClient config;
    private final RouterLeases leases;
    private final Handover handover;
    private final Pickup pickup;
    private final StatusCommitter committer;
    private final Barrier barrier;
    private final InFlight inFlight;
    private final InstantSource clock;
    private volatile boolean running;
    // only the pickup loop thread reads and writes these
    private Pickup.ReadPositions positions = Pickup.ReadPositions.START;
    private Set<Integer> floorPartitions = Set.of();
    // a pickup whose commit failed with an unknown outcome: settled before the next pickup (review P2-2)
    private @Nullable Unconfirmed unconfirmed;
    private @Nullable Thread loop;

    public PickupLoop(
            RouterProperties properties,
            WorkspaceConfigClient config,
            RouterLeases leases,
            Handover handover,
            Pickup pickup,
            StatusCommitter committer,
            Barrier barrier,
            InFlight inFlight,
            InstantSource clock) {
        this.properties = properties;
        this.config = config;
        this.leases = leases;
        this.handover = handover;
        this.pickup = pickup;
        this.committer = committer;
        this.barrier = barrier;
        this.inFlight = inFlight;
        this.clock = clock;
    }

    /** Whether the loop's thread lives (for {@code /health}). */
    public boolean alive() {
        Thread t = loop;
        return t != null && t.isAlive();
    }

    @Override
    public synchronized void start() {
        running = true;
        loop = Thread.ofPlatform().name("router-pickup").daemon().start(this::run);
        log.atInfo().addKeyValue("holder", leases.holder()).log("router started");
    }

    private void run() {
        while (running) {
            // a give-back of partitions waits for the pickup in progress (Handover.lost)
            boolean busy = handover.duringPickup(this::cycleOrRetry);
            if (!busy) inFlight.awaitCommit(properties.pollInterval());
        }
    }

    private boolean cycleOrRetry() {
        try {
            return cycle();
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("pickup failed; will retry");
            return false;
        } catch (Throwable e) {
            // an Error must not end the loop silently: nothing would be picked up again
            log.atError().setCause(e).log("pickup crashed; will retry");
            return false;
        }
    }

    /**
     * The decisions of a pickup whose commit threw something other than {@link LeaseLostException}: it may have been
     * made, so its {@code executing} rows may be stored for jobs nobody works on.
     */
    private record Unconfirmed(
            Set<Integer> partitions,
            List<StatusUpdate> executing,
            Map<Long, Integer> partitionOf,
            List<RtJob> drained) {
        static Unconfirmed of(Pickup.Batch batch) {
            Map<Long, Integer> partitionOf = new HashMap<>();
            for (Map.Entry<Worker, RtJob> d : batch.dispatches())
                partitionOf.put(d.getValue().jobId(), d.getValue().partition());
            List<StatusUpdate> executing = batch.statuses().stream()
                    .filter(s -> partitionOf.containsKey(s.jobId()))
                    .toList();
            return new Unconfirmed(
                    Set.copyOf(batch.partitions()), executing, partitionOf, List.copyOf(batch.drainedJobs()));
        }

        /** Without the jobs of partitions that moved away (their new owner recovers them); null when none is left. */
        @Nullable
        Unconfirmed without(Set<Integer> lost) {
            Set<Integer> rest = new HashSet<>(partitions);
            rest.removeAll(lost);
            if (rest.isEmpty()) return null;
            return new Unconfirmed(
                    Set.copyOf(rest),
                    executing.stream()
                            .filter(s -> !lost.contains(partitionOf.get(s.jobId())))
                            .toList(),
                    partitionOf,
                    drained.stream().filter(j -> !lost.contains(j.partition())).toList());
        }
    }

    /**
     * Settles an {@link Unconfirmed} pickup before any other: its jobs left {@code executing} become {@code failed}
     * (recovered), so the next pickup reads them again ahead of their users' later jobs. Throws while that fails, so
     * nothing is picked up meanwhile (the loop retries after the poll interval).
     */
    private void settleUnconfirmed() {
        Unconfirmed u = unconfirmed;
        if (u == null) return;
        Set<Long> drained = new HashSet<>();
        for (RtJob j : u.drained()) drained.add(j.jobId());
        Set<Long> aborted;
        try {
            aborted = committer.settleUnknownCommit(u.partitions(), u.executing(), drained, clock.instant());
        } catch (LeaseLostException e) {
            // their new owner recovers the jobs of the partitions that moved; the rest are settled on the next try
            unconfirmed = u.without(e.partitions());
            throw e;
        }
        for (RtJob j : u.drained()) if (aborted.contains(j.jobId())) barrier.resolved(j.key(), j.jobId());
        unconfirmed = null;
        log.atInfo()
                .addKeyValue("jobs", u.executing().size())
                .log("settled the statuses of a pickup whose commit had an unknown outcome");
    }

    /** One pickup; true when jobs were handed over or a read stopped at its cap (so the next one should follow at once). */
    boolean cycle() {
        Set<Integer> owned = leases.owned();
        if (!config.hasLoaded() || owned.isEmpty()) return false;
        settleUnconfirmed();
        if (!owned.equals(floorPartitions)) {
            // partitions gained may hold unprocessed jobs anywhere: search them from the start; for partitions
            // given up only, every floor still holds for the ones left
            positions = floorPartitions.containsAll(owned) ? positions.within(owned) : Pickup.ReadPositions.START;
            floorPartitions = owned;
        }
        Instant now = clock.instant();
        Pickup.Batch batch = pickup.run(owned, now, positions);
        if (batch.isEmpty()) {
            positions = batch.next();
            return batch.more();
        }
        try {
            committer.writeNow(batch.partitions(), batch.statuses(), batch.drained());
        } catch (LeaseLostException e) {
            log.atInfo().log("lease lost during pickup; batch dropped");
            return false;
        } catch (RuntimeException | Error e) {
            // the commit may have been made (the connection lost during COMMIT, say): then its executing rows are
            // stored with nobody working on their jobs, and the users' later jobs would overtake them (review P2-2)
            unconfirmed = Unconfirmed.of(batch);
            throw e;
        }
        // only now: a lost batch keeps the positions it was read from (its dispatches were never handed over)
        positions = batch.next();
        for (RtJob j : batch.drainedJobs()) barrier.resolved(j.key(), j.jobId());
        for (Map.Entry<Worker, RtJob> d : batch.dispatches()) {
            inFlight.handedOver(d.getValue().key(), d.getValue().jobId());
            d.getKey().enqueue(d.getValue());
        }
        return !batch.dispatches().isEmpty() || batch.more();
    }

    /** Stops picking up: the cycle in progress ends first (its jobs are handed over, the workers stop next). */
    @Override
    public synchronized void stop() {
        if (!running) return;
        running = false;
        try {
            Thread t = loop;
            if (t != null) t.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.atInfo().addKeyValue("holder", leases.holder()).log("pickup stopped");
    }

    @Override
    public boolean isAutoStartup() {
        return properties.enabled();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return RouterPhases.PICKUP;
    }
}
