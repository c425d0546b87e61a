package dev.eventpipe.router.status;

import dev.eventpipe.jobsdb.CrashRecovery;
import dev.eventpipe.jobsdb.DataRefusal;
import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.JobStatus;
import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.LeaseLostException;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.leases.RouterLeases;
import dev.eventpipe.router.leases.RouterPhases;
import dev.eventpipe.router.ordering.Barrier;
import dev.eventpipe.router.ordering.InFlight;
import dev.eventpipe.router.stats.DeliveryStats;
import dev.eventpipe.router.stats.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
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
    // jobs of the batch being committed none of whose statuses the database accepted (settleAlone)
    private final Set<Long> unsettled = ConcurrentHashMap.newKeySet();
    private final TransactionTemplate tx;
    private final JobsDb rt;
    private final DeliveryStats stats;
    private final RouterLeases leases;
    private final InFlight inFlight;
    private final Barrier barrier;
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
            Barrier barrier,
            RouterProperties properties) {
        this.tx = tx;
        this.rt = rt;
        this.stats = stats;
        this.leases = leases;
        this.inFlight = inFlight;
        this.barrier = barrier;
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

    /**
     * Settles a pickup's decisions whose commit failed with an unknown outcome (review P2-2: say the connection
     * dropped during {@code COMMIT} and the server had committed): in one transaction that checks the leases of
     * {@code partitions}, each of the {@code executing} statuses that is still its job's latest row (same attempt and
     * time: the row that commit wrote, if it was made) becomes {@code failed} with {@link
     * CrashRecovery#RECOVERED_CODE}, as crash recovery would make it, by job id: retried at once, together with its
     * user's later jobs and ahead of them. A status that was not stored needs nothing: its job is read again.
     * Returns the {@code drained} jobs whose {@code aborted} status was stored. Throws {@link LeaseLostException}
     * (nothing written) when one of the partitions moved away: its new owner recovers those jobs.
     */
    public Set<Long> settleUnknownCommit(
            Set<Integer> partitions, List<StatusUpdate> executing, Set<Long> drained, Instant now) {
        Set<Long> ids = new HashSet<>(drained);
        for (StatusUpdate u : executing) ids.add(u.jobId());
        Set<Long> aborted = new HashSet<>();
        tx.executeWithoutResult(s -> {
            leases.assertHeld(partitions);
            Map<Long, JobStatus> latest = rt.latestStatuses(ids);
            List<StatusUpdate> failed = new ArrayList<>();
            for (StatusUpdate u : executing) {
                JobStatus l = latest.get(u.jobId());
                if (l == null || l.state() != JobState.EXECUTING || l.attempt() != u.attempt()) continue;
                // stored to the microsecond
                if (Math.abs(Duration.between(l.execTime(), u.execTime()).toNanos()) > 1_000) continue;
                Instant first = l.firstAttemptedAt() != null ? l.firstAttemptedAt() : l.execTime();
                failed.add(StatusUpdate.failed(u.jobId(), u.attempt(), now, now)
                        .withResponse(
                                CrashRecovery.RECOVERED_CODE,
                                StatusJson.reason(
                                        "the pickup's commit of its executing status had an unknown outcome", first))
                        .withFirstAttemptedAt(first));
            }
            rt.updateStatus(failed);
            for (long id : drained) {
                JobStatus l = latest.get(id);
                if (l != null && l.state() == JobState.ABORTED) aborted.add(id);
            }
        });
        return aborted;
    }

    private void loop() {
        while (running) {
            try {
                Finished first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                List<Finished> batch = new ArrayList<>();
                batch.add(first);
                gather(batch);
                commitUntilDone(batch);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** How often {@link #gather} looks at the queue. */
    private static final long GATHER_STEP_NANOS = Duration.ofMillis(5).toNanos();

    /**
     * Adds to the batch what the workers submit within {@code max-status-update-wait} of its first status, up to
     * {@code status-batch-size}, looking at the queue every {@link #GATHER_STEP_NANOS} (a full batch goes at most that
     * much later). It used to wait on the queue for each status: workers submit one at a time, so this thread was
     * woken, and its timed wait scheduled and cancelled on the JDK's ForkJoinPool delay scheduler, for about every
     * status (issue 16: 2.1-2.2 µs of the delay scheduler per delivery, ClientCpuPerRequest in
     * router-service/figures/2026-12-01-router-cpu).
     */
    private void gather(List<Finished> batch) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            queue.drainTo(batch, batchSize - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= batchSize || left <= 0) return;
            Thread.sleep(Duration.ofNanos(Math.min(left, GATHER_STEP_NANOS)));
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
        for (Finished f : batch)
            if (unsettled.remove(f.status().jobId()))
                inFlight.stuck(f.job().key(), f.status().jobId());
            else inFlight.committed(f.job().key());
        return true;
    }

    /**
     * Writes the batch; after a {@link LeaseLostException}, drops the statuses of the partitions the database said
     * moved and writes the rest, which still belong here (kept partitions too, which are not {@link
     * RouterLeases#owned() owned} but still leased: a status dropped there would have its job delivered again).
     */
    private boolean tryCommit(List<Finished> batch) {
        List<Finished> left = batch;
        while (true) {
            try {
                write(left);
                return true;
            } catch (LeaseLostException e) {
                Set<Integer> moved = e.partitions();
                List<Finished> held = left.stream()
                        .filter(f -> !moved.contains(f.job().partition()))
                        .toList();
                log.atWarn()
                        .addKeyValue("partitions", moved)
                        .addKeyValue("dropped", left.size() - held.size())
                        .log("lease lost; statuses of moved partitions dropped");
                if (held.size() == left.size()) return false; // not this batch's partitions: try again later
                left = held;
            } catch (RuntimeException e) {
                Optional<String> refusal = DataRefusal.reason(e);
                if (refusal.isPresent()) return quarantine(left, refusal.get());
                log.atWarn().setCause(e).log("status commit failed; will retry");
                return false;
            }
        }
    }

    /**
     * The database refused the batch for what it holds ({@link DataRefusal}: the same rows fail every time), so
     * committing it again would stop this replica's status commits for good. The batch is split in halves, each
     * committed on its own (a half refused again is split again), until the status refused alone is found; that job
     * is settled by {@link #settleAlone} (its state with a minimal document, else aborted with the database's
     * reason, visible in the failed events and the stats), and the others are written as they were (issue 13, "the same in the router's status commit"). True when every status is written
     * or given up; false when this replica is stopping and a half could not be written.
     */
    private boolean quarantine(List<Finished> batch, String reason) {
        if (batch.size() == 1) return settleAlone(batch.getFirst(), reason);
        log.atWarn()
                .addKeyValue("statuses", batch.size())
                .addKeyValue("reason", reason)
                .log("the database refused a status batch; splitting it to find the status it refuses");
        int half = batch.size() / 2;
        for (List<Finished> part : List.of(batch.subList(0, half), batch.subList(half, batch.size()))) {
            while (!tryCommit(part)) { // an outage meanwhile: this half again, never the half already written
                if (!running || !pause()) return false;
            }
        }
        return true;
    }

    /**
     * One status the database refuses, settled by the first of these writes it accepts (each its own transaction):
     *
     * <ol>
     *   <li>the same state, code and times with a minimal document (a fixed reason and the database's, made safe;
     *       parameters {@code {}}): the refusal almost always comes from the parts taken from the request or the
     *       destination's answer, so a delivered job stays {@code succeeded} and a failed one is retried as usual;
     *   <li>{@code aborted} with that reason and the answer's code, so it no longer holds its user;
     *   <li>{@code aborted} with no code and a fixed document, which holds nothing a row check could refuse.
     * </ol>
     *
     * An abort of a job whose delivery succeeded says {@code "delivered": true}, and {@code Replay} never copies
     * such a job (it would send the event a second time). If all three are refused, nothing is written for the job
     * and it stays unsettled ({@link #stuck()}, on {@code /health}): its user is held here, as the job is still
     * {@code executing}, until a replica that takes its partition (this one after a restart) recovers it. Letting the
     * user go would deliver its later jobs before the recovered retry of this one. A handover of its partition does
     * not wait for it ({@link InFlight#stuck}).
     */
    private boolean settleAlone(Finished refused, String reason) {
        StatusUpdate status = refused.status();
        boolean delivered = status.state() == JobState.SUCCEEDED;
        String minimal = StatusJson.reason(
                "the database refused this status's document, so it was written without it: " + reason,
                status.firstAttemptedAt());
        StatusUpdate same = status.withResponse(status.errorCode(), minimal).withParameters("{}");
        String abortReason = "the database refused the job's " + status.state().dbName() + " status: " + reason;
        StatusUpdate aborted = StatusUpdate.aborted(status.jobId(), status.attempt(), status.execTime())
                .withResponse(
                        status.errorCode(), StatusJson.refusedAbort(abortReason, delivered, status.firstAttemptedAt()))
                .withFirstAttemptedAt(status.firstAttemptedAt());
        StatusUpdate bare = StatusUpdate.aborted(status.jobId(), status.attempt(), status.execTime())
                .withResponse("", delivered ? StatusJson.DELIVERED : "{}")
                .withFirstAttemptedAt(status.firstAttemptedAt());
        List<StatusUpdate> tries =
                status.state() == JobState.ABORTED ? List.of(same, bare) : List.of(same, aborted, bare);
        for (StatusUpdate attempt : tries) {
            try {
                write(List.of(new Finished(refused.job(), attempt, refused.requestTime())));
            } catch (LeaseLostException e) {
                return true; // its partition moved: the new owner recovers the job
            } catch (RuntimeException e) {
                if (DataRefusal.reason(e).isEmpty()) return false; // the moment, not the data: the batch again
                log.atWarn()
                        .addKeyValue("jobId", status.jobId())
                        .addKeyValue("state", attempt.state().dbName())
                        .addKeyValue("reason", DataRefusal.reason(e).get())
                        .log("the database refused a fallback status too");
                continue;
            }
            if (attempt.state() != status.state())
                barrier.resolved(refused.job().key(), status.jobId());
            log.atError()
                    .addKeyValue("jobId", status.jobId())
                    .addKeyValue("reason", reason)
                    .addKeyValue("written", attempt.state().dbName())
                    .addKeyValue("delivered", delivered)
                    .log(
                            attempt == same
                                    ? "the database refused a job's status; written again without its document"
                                    : "the database refused a job's status; the job is aborted");
            return true;
        }
        unsettled.add(status.jobId());
        log.atError()
                .addKeyValue("jobId", status.jobId())
                .addKeyValue("reason", reason)
                .log("the database refused a job's status and every fallback; nothing written, the job stays "
                        + "executing and holds its user on this replica until its partition is recovered");
        return true;
    }

    /**
     * Jobs none of whose statuses the database accepted ({@link #settleAlone}): unsettled, their users held, until
     * their partition goes ({@link InFlight#stuck}).
     */
    public Set<Long> stuck() {
        return inFlight.stuckJobs();
    }

    private static boolean pause() {
        try {
            Thread.sleep(1000);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
