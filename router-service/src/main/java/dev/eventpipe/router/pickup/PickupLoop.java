package dev.eventpipe.router.pickup;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.LeaseLostException;
import dev.eventpipe.jobsdb.PartitionLeases;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.router.batching.BatchPolicy;
import dev.eventpipe.router.batching.BatchTransformerClient;
import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.config.RouterSchema;
import dev.eventpipe.router.delivery.HttpDelivery;
import dev.eventpipe.router.delivery.Worker;
import dev.eventpipe.router.delivery.WorkerContext;
import dev.eventpipe.router.delivery.WorkerPool;
import dev.eventpipe.router.ordering.Barrier;
import dev.eventpipe.router.ordering.BlockedKeys;
import dev.eventpipe.router.ordering.InFlight;
import dev.eventpipe.router.ordering.OrderKey;
import dev.eventpipe.router.stats.DeliveryStats;
import dev.eventpipe.router.status.Finished;
import dev.eventpipe.router.status.RtJob;
import dev.eventpipe.router.status.StatusCommitter;
import dev.eventpipe.router.status.StatusJson;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The running router: takes a share of the user partitions (lease group {@code router}; jobs a dead replica left
 * {@code executing} in a gained partition are first recovered as {@code failed}), then loops pickup → commit of
 * the pickup's statuses → hand-over to the destination workers, whose results the {@link StatusCommitter} writes.
 * On shutdown, jobs handed over but not started are put back as {@code waiting} and the leases are released.
 */
@Component
public class PickupLoop implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(PickupLoop.class);

    private final JobsDbs jobsDbs;
    private final JobsDb rt;
    private final DataSource dataSource;
    private final TransactionTemplate tx;
    private final RouterProperties properties;
    private final WorkspaceConfigClient config;
    private final Barrier barrier;
    private final InFlight inFlight;
    private final DeliveryStats stats;
    private final InstantSource clock;
    private final String holder;
    private final StatusCommitter committer;
    private final WorkerPool pool;
    private final Pickup pickup;
    private volatile PartitionLeases leases;
    private final Semaphore wake = new Semaphore(0);
    // held by a pickup cycle, and by a give-back of partitions while it waits for their work to stop
    private final ReentrantLock pickupLock = new ReentrantLock();
    private volatile boolean running;
    // only the pickup loop thread reads and writes these
    private Map<String, Long> unprocessedFloors = Map.of();
    private Set<Integer> floorPartitions = Set.of();
    private Thread loop;

    PickupLoop(
            JobsDbs jobsDbs,
            DataSource dataSource,
            TransactionTemplate routerTransactions,
            RouterProperties properties,
            WorkspaceConfigClient config,
            HttpDelivery delivery,
            BatchPolicy batchPolicy,
            BatchTransformerClient batchTransformer,
            Barrier barrier,
            InFlight inFlight,
            DeliveryStats stats,
            InstantSource clock,
            MeterRegistry meters,
            RouterSchema migrated) {
        this.jobsDbs = jobsDbs;
        this.rt = jobsDbs.queue(Queue.RT);
        this.dataSource = dataSource;
        this.tx = routerTransactions;
        this.properties = properties;
        this.config = config;
        this.barrier = barrier;
        this.inFlight = inFlight;
        this.stats = stats;
        this.clock = clock;
        this.holder = properties.instanceId().isBlank()
                ? "router-" + UUID.randomUUID().toString().substring(0, 8)
                : properties.instanceId();
        this.committer = new StatusCommitter(
                tx,
                rt,
                stats,
                partitions -> leases.assertHeld(partitions),
                this::owned,
                this::settled,
                properties.statusBatchSize(),
                properties.maxStatusUpdateWait());
        WorkerContext context = new WorkerContext(
                delivery,
                barrier,
                clock,
                this::owned,
                this::ownedFor,
                committer::submit,
                inFlight::settled,
                batchPolicy,
                batchTransformer,
                meters);
        this.pool = new WorkerPool(properties, context, meters);
        this.pickup = new Pickup(
                rt,
                new BlockedKeys(rt),
                pool,
                properties,
                config::current,
                () -> config.lastSync().orElse(null),
                inFlight,
                barrier);
    }

    /** A job's status is committed: its user's next jobs may go, so the pickup need not wait for its poll. */
    private void settled(OrderKey key) {
        inFlight.settled(key);
        wake.release();
    }

    /** The partitions this replica works on now. */
    public Set<Integer> owned() {
        PartitionLeases l = leases;
        return l == null ? Set.of() : l.owned();
    }

    /**
     * The partitions a send lasting up to {@code sendTime} may start on. A send longer than a third of the lease
     * ttl is fenced by that third only: renewals come every third, so asking for more would stop all sends.
     */
    private Set<Integer> ownedFor(Duration sendTime) {
        PartitionLeases l = leases;
        if (l == null) return Set.of();
        Duration third = properties.leaseTtl().dividedBy(3);
        return l.ownedFor(sendTime.compareTo(third) < 0 ? sendTime : third);
    }

    /**
     * Partitions given back or lost are no longer {@link #owned()}, so no new pickup or send starts on them (queued
     * jobs are dropped by their workers, and recovered by the next owner). Waits for the pickup in progress and for
     * the jobs handed over to settle; only then may the leases be released. If that takes longer than a quarter of
     * the lease ttl, throws: the leases are kept and given back on a later round.
     */
    private void stopWorkOn(Set<Integer> partitions) {
        long deadline = System.nanoTime() + properties.leaseTtl().dividedBy(4).toNanos();
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
        long deadline = System.nanoTime() + properties.leaseTtl().dividedBy(4).toNanos();
        try {
            while (inFlight.hasAny(partitions) && System.nanoTime() < deadline) Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether the router's threads live: the pickup loop, the status committer and every destination worker.
     * Empty when the router does not run (disabled or stopped).
     */
    public Map<String, Object> liveness() {
        if (!running) return Map.of();
        Thread pickupThread = loop;
        long dead = pool.deadWorkers();
        return Map.of(
                "pickup", pickupThread != null && pickupThread.isAlive() ? "UP" : "DOWN",
                "statusCommitter", committer.alive() ? "UP" : "DOWN",
                "workers", dead == 0 ? "UP" : "DOWN (" + dead + " dead)");
    }

    /** True when every thread {@link #liveness()} reports is alive. */
    public boolean threadsAlive() {
        return liveness().values().stream().allMatch("UP"::equals);
    }

    public String holder() {
        return holder;
    }

    /** Users (per destination) currently held behind a failing job, as this replica sees them. */
    public int blockedUsers() {
        return barrier.size();
    }

    /** Users (per destination) with jobs handed to workers and not yet settled. */
    public int usersInFlight() {
        return inFlight.size();
    }

    @Override
    public synchronized void start() {
        leases = new PartitionLeases(
                        dataSource, "router", holder, properties.leaseTtl(), new PartitionLeases.Listener() {
                            @Override
                            public void acquired(Set<Integer> partitions) {
                                // partitions kept after a give-back whose work had not stopped: let it end first
                                awaitSettled(partitions);
                                int recovered = jobsDbs.recovery().failExecuting(Queue.RT, partitions);
                                if (recovered > 0)
                                    log.atInfo()
                                            .addKeyValue("jobs", recovered)
                                            .log("recovered executing jobs as failed");
                            }

                            @Override
                            public void lost(Set<Integer> partitions) {
                                stopWorkOn(partitions);
                            }
                        })
                .start();
        committer.start();
        running = true;
        loop = Thread.ofPlatform().name("router-pickup").daemon().start(this::run);
        log.atInfo().addKeyValue("holder", holder).log("router started");
    }

    private void run() {
        while (running) {
            boolean busy;
            pickupLock.lock();
            try {
                busy = cycle();
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).log("pickup failed; will retry");
                busy = false;
            } catch (Throwable e) {
                // an Error must not end the loop silently: nothing would be picked up again
                log.atError().setCause(e).log("pickup crashed; will retry");
                busy = false;
            } finally {
                pickupLock.unlock();
            }
            if (!busy) idle(properties.pollInterval());
        }
    }

    /** One pickup; true when jobs were handed over (so the next one should follow at once). */
    boolean cycle() {
        Set<Integer> owned = owned();
        if (!config.hasLoaded() || owned.isEmpty()) return false;
        if (!owned.equals(floorPartitions)) {
            // partitions gained may hold unprocessed jobs anywhere: search them from the start
            unprocessedFloors = Map.of();
            floorPartitions = owned;
        }
        Instant now = clock.instant();
        Pickup.Batch batch = pickup.run(owned, now, unprocessedFloors);
        if (batch.isEmpty()) {
            unprocessedFloors = batch.nextFloors();
            return false;
        }
        try {
            tx.executeWithoutResult(s -> {
                leases.assertHeld(batch.partitions());
                rt.updateStatus(batch.statuses());
                stats.record(batch.drained());
            });
        } catch (LeaseLostException e) {
            log.atInfo().log("lease lost during pickup; batch dropped");
            return false;
        }
        unprocessedFloors = batch.nextFloors();
        for (RtJob j : batch.drainedJobs()) barrier.resolved(j.key(), j.jobId());
        for (Map.Entry<Worker, RtJob> d : batch.dispatches()) {
            inFlight.handedOver(d.getValue().key());
            d.getKey().enqueue(d.getValue());
        }
        return !batch.dispatches().isEmpty();
    }

    @Override
    public synchronized void stop() {
        if (!running) return;
        running = false;
        joinLoop();
        Instant now = clock.instant();
        for (RtJob job : pool.stop()) {
            String response = StatusJson.reason("router stopped before delivery", job.firstAttemptedAt());
            committer.submit(new Finished(
                    job,
                    new StatusUpdate(job.jobId(), JobState.WAITING, job.attempts(), now, now, "", response, "{}"),
                    null));
        }
        committer.stop();
        if (leases != null) leases.close();
        log.atInfo().addKeyValue("holder", holder).log("router stopped");
    }

    private void joinLoop() {
        try {
            if (loop != null) loop.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isAutoStartup() {
        return properties.enabled();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Waits for the poll interval, or less when a status commit settled jobs. */
    private void idle(Duration d) {
        try {
            if (wake.tryAcquire(d.toNanos(), TimeUnit.NANOSECONDS)) wake.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
