package dev.eventpipe.router.pickup;

import dev.eventpipe.jobsdb.LeaseLostException;
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

    /** One pickup; true when jobs were handed over or a read stopped at its cap (so the next one should follow at once). */
    boolean cycle() {
        Set<Integer> owned = leases.owned();
        if (!config.hasLoaded() || owned.isEmpty()) return false;
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
