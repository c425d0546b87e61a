package dev.eventpipe.router.status;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.LeaseLostException;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.leases.RouterLeases;
import dev.eventpipe.router.leases.RouterPhases;
import dev.eventpipe.router.ordering.InFlight;
import dev.eventpipe.router.stats.DeliveryStats;
import dev.eventpipe.router.stats.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Collects the statuses workers produce and writes them in batches (RudderStack's {@code updateStatusBatchSize} /
 * {@code maxStatusUpdateWait}), each batch in one transaction with its delivery counts and a check that this
 * replica still holds the partitions' leases. Statuses of partitions that moved away are dropped: the new owner
 * finds those jobs {@code executing}, recovers them as failed and retries them (at-least-once). A committed job
 * settles its user in {@link InFlight}. The pickup's own decisions are written at once ({@link #writeNow}).
 *
 * <p>Lifecycle phase {@link RouterPhases#STATUS_COMMITTER}: it runs before the workers start and stops after they
 * have, writing what they left queued, before the leases are released.
 */
public final class StatusCommitter implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(StatusCommitter.class);

    private final LinkedBlockingQueue<Finished> queue = new LinkedBlockingQueue<>();
    private final TransactionTemplate tx;
    private final JobsDb rt;
    private final DeliveryStats stats;
    private final RouterLeases leases;
    private final InFlight inFlight;
    private final int batchSize;
    private final Duration maxWait;
    private final boolean enabled;
    private volatile boolean running;
    private Thread thread;

    public StatusCommitter(
            TransactionTemplate tx,
            JobsDb rt,
            DeliveryStats stats,
            RouterLeases leases,
            InFlight inFlight,
            RouterProperties properties) {
        this.tx = tx;
        this.rt = rt;
        this.stats = stats;
        this.leases = leases;
        this.inFlight = inFlight;
        this.batchSize = properties.statusBatchSize();
        this.maxWait = properties.maxStatusUpdateWait();
        this.enabled = properties.enabled();
    }

    public void submit(Finished finished) {
        queue.add(finished);
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofVirtual().name("router-status-commit").start(this::loop);
    }

    /** Writes what is queued, then stops. */
    @Override
    public void stop() {
        running = false;
        try {
            if (thread != null) thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return enabled;
    }

    @Override
    public int getPhase() {
        return RouterPhases.STATUS_COMMITTER;
    }

    /**
     * Writes a pickup's decisions at once, in the caller's thread: their statuses and the counts of the jobs it
     * drained, in one transaction that checks the leases of {@code partitions}. Throws {@link LeaseLostException}
     * (nothing written) when one of them moved away.
     */
    public void writeNow(Set<Integer> partitions, List<StatusUpdate> statuses, List<Outcome> outcomes) {
        tx.executeWithoutResult(s -> {
            leases.assertHeld(partitions);
            rt.updateStatus(statuses);
            stats.record(outcomes);
        });
    }

    private void loop() {
        while (running) {
            try {
                Finished first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                List<Finished> batch = new ArrayList<>();
                batch.add(first);
                long deadline = System.nanoTime() + maxWait.toNanos();
                while (batch.size() < batchSize) {
                    Finished next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) break;
                    batch.add(next);
                    queue.drainTo(batch, batchSize - batch.size());
                }
                commitUntilDone(batch);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * An Error (not only an exception) while committing is logged and the batch tried again: if this thread died,
     * every job in flight would stay unsettled and its user stuck, with nothing to show it.
     */
    private void commitUntilDone(List<Finished> batch) throws InterruptedException {
        while (true) {
            try {
                commitWithRetry(batch);
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Throwable e) {
                log.atError().setCause(e).log("status commit crashed; will retry");
                if (!running) return;
                Thread.sleep(1000);
            }
        }
    }

    public boolean alive() {
        return thread != null && thread.isAlive();
    }

    private void flush() {
        List<Finished> rest = new ArrayList<>();
        queue.drainTo(rest);
        for (int i = 0; i < rest.size(); i += batchSize)
            commitOnce(rest.subList(i, Math.min(rest.size(), i + batchSize)));
    }

    private void commitWithRetry(List<Finished> batch) throws InterruptedException {
        while (!commitOnce(batch)) {
            if (!running) return;
            Thread.sleep(1000);
        }
    }

    /** True when the batch is done with (written, or dropped for lost leases). */
    boolean commitOnce(List<Finished> batch) {
        if (!tryCommit(batch)) return false;
        for (Finished f : batch) inFlight.committed(f.job().key());
        return true;
    }

    private boolean tryCommit(List<Finished> batch) {
        List<Finished> mine = batch;
        for (int round = 0; round < 2; round++) {
            try {
                write(mine);
                return true;
            } catch (LeaseLostException e) {
                Set<Integer> held = leases.owned();
                mine = mine.stream()
                        .filter(f -> held.contains(f.job().partition()))
                        .toList();
                log.atWarn()
                        .addKeyValue("dropped", batch.size() - mine.size())
                        .log("lease lost; statuses of moved partitions dropped");
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).log("status commit failed; will retry");
                return false;
            }
        }
        return true;
    }

    private void write(List<Finished> batch) {
        if (batch.isEmpty()) return;
        Set<Integer> partitions = new TreeSet<>();
        List<StatusUpdate> updates = new ArrayList<>(batch.size());
        List<Outcome> outcomes = new ArrayList<>();
        for (Finished f : batch) {
            partitions.add(f.job().partition());
            updates.add(f.status());
            if (f.status().state() != JobState.WAITING) outcomes.add(outcome(f));
        }
        tx.executeWithoutResult(s -> {
            leases.assertHeld(partitions);
            rt.updateStatus(updates);
            stats.record(outcomes);
        });
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    static Outcome outcome(Finished f) {
        return new Outcome(
                f.job().job().workspaceId(),
                f.job().destinationId(),
                f.job().destinationType(),
                f.status().state(),
                f.status().execTime(),
                f.requestTime(),
                max(
                        Duration.ZERO,
                        Duration.between(f.job().job().createdAt(), f.status().execTime())),
                f.status().errorCode());
    }
}
