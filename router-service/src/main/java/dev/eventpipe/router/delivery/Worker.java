package dev.eventpipe.router.delivery;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.model.config.Destination;
import dev.eventpipe.router.batching.BatchRun;
import dev.eventpipe.router.config.DestinationSettings;
import dev.eventpipe.router.status.Finished;
import dev.eventpipe.router.status.RtJob;
import dev.eventpipe.router.status.StatusJson;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of a destination: a virtual thread that delivers the jobs handed to it one at a time, in order, or,
 * for a destination that batches, gathers them and hands them to a {@link BatchRun}. A job queued behind one of
 * its user's jobs that has just failed is not sent but recorded as {@code waiting} behind it.
 */
public final class Worker {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final String name;
    private final WorkerContext context;
    private final LinkedBlockingQueue<RtJob> queue;
    private final DestinationSettings settings;
    private volatile boolean running;
    private Thread thread;

    Worker(String name, WorkerContext context, DestinationSettings settings) {
        this.name = name;
        this.context = context;
        this.settings = settings;
        this.queue = new LinkedBlockingQueue<>(settings.queueCapacity());
    }

    public int freeSlots() {
        return queue.remainingCapacity();
    }

    /** Hands a job over; the pickup reserved the slot, so this does not block. */
    public void enqueue(RtJob job) {
        if (!queue.offer(job)) throw new IllegalStateException("worker queue over its reserved capacity");
    }

    boolean alive() {
        return thread != null && thread.isAlive();
    }

    void start() {
        running = true;
        thread = Thread.ofVirtual().name(name).start(this::loop);
    }

    /** Lets the current delivery finish (bounded by the HTTP timeout) and returns the jobs not started. */
    List<RtJob> stop() {
        running = false;
        List<RtJob> unstarted = new ArrayList<>();
        queue.drainTo(unstarted);
        try {
            if (thread != null && !thread.join(settings.httpTimeout().plusSeconds(1))) thread.interrupt();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.drainTo(unstarted);
        return unstarted;
    }

    private void loop() {
        while (running) {
            RtJob job;
            try {
                job = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (job == null) continue;
            try {
                Optional<Destination> batching =
                        context.batchPolicy().batching(job.destinationId(), job.destinationType());
                if (batching.isPresent()) deliverBatch(job, batching.get());
                else process(job);
            } catch (Throwable e) {
                // an Error too: the job is failed (and retried), not left handed over with its user stuck behind it
                log.atError().addKeyValue("jobId", job.jobId()).setCause(e).log("delivery crashed; will retry");
                finish(job, new DeliveryResult.Retryable(500, "router error: " + e, "text/plain", null), null);
            }
        }
    }

    /**
     * Gathers the jobs queued behind {@code first} and delivers them as batches. It sends once it has
     * {@code batchMaxJobs}, once {@code batchTimeout} has passed since the first job, or once no job has come for
     * {@code batchIdle}: a pickup hands its jobs over all at once, and the next jobs of these users are only
     * handed over after this batch is settled, so waiting longer would only delay them. Jobs gathered when the
     * router stops go back to the queue, where {@link #stop()} finds them.
     */
    private void deliverBatch(RtJob first, Destination destination) {
        List<RtJob> jobs = new ArrayList<>();
        jobs.add(first);
        queue.drainTo(jobs, settings.batchMaxJobs() - 1);
        long deadline = System.nanoTime() + settings.batchTimeout().toNanos();
        try {
            while (running && jobs.size() < settings.batchMaxJobs()) {
                long wait = Math.min(
                        deadline - System.nanoTime(), settings.batchIdle().toNanos());
                if (wait <= 0) break;
                RtJob next = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (next == null) break;
                jobs.add(next);
                queue.drainTo(jobs, settings.batchMaxJobs() - jobs.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!running) {
            jobs.forEach(queue::offer);
            return;
        }
        new BatchRun(this, context, destination, settings).deliver(jobs);
    }

    private void process(RtJob job) {
        // a partition that moved to another replica is recovered there; delivering here would duplicate
        if (!context.owned().contains(job.partition())) {
            context.drop(job);
            return;
        }
        Optional<Long> blocker = context.barrier().blockerOf(job.key(), job.jobId());
        if (blocker.isPresent()) {
            waiting(job, blocker.get(), null);
            return;
        }
        if (!context.ownedFor(settings.httpTimeout()).contains(job.partition())) {
            finish(job, leaseNotCertain(), null);
            return;
        }
        DeliveryRequest request;
        try {
            request = DeliveryRequest.parse(job.job().payload());
        } catch (RuntimeException e) {
            finish(job, new DeliveryResult.Rejected(400, "invalid delivery payload: " + e.getMessage(), ""), null);
            return;
        }
        long start = System.nanoTime();
        DeliveryResult result = context.delivery().send(request, settings.httpTimeout());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        finish(job, result, took);
    }

    /**
     * Records the outcome of an attempt (or of not attempting) and returns the job's next state. {@code took}: how
     * long the send lasted (null when nothing was sent, or not measured).
     */
    public JobState finish(RtJob job, DeliveryResult result, @Nullable Duration took) {
        Instant now = context.clock().instant();
        // a first attempt began when its send did, took ago (a timed-out one a whole http-timeout ago), so
        // the retry window counts from there; to the microsecond, as the status column keeps it, so the document
        // and the column say the same time
        Instant first = job.firstAttemptedAt() != null
                ? job.firstAttemptedAt()
                : (took == null ? now : now.minus(took)).truncatedTo(ChronoUnit.MICROS);
        boolean attempted = !(result instanceof DeliveryResult.NotAttempted);
        int attempt = attempted ? job.attempts() + 1 : job.attempts();
        RetryRules.Next next = RetryRules.next(result, attempt, first, now, settings);
        String response = switch (result) {
            case DeliveryResult.Delivered d -> StatusJson.attempt(d.body(), first, d.contentType());
            case DeliveryResult.Rejected r -> StatusJson.attempt(r.body(), first, r.contentType());
            case DeliveryResult.Retryable r -> StatusJson.attempt(r.body(), first, r.contentType());
            case DeliveryResult.NotAttempted n -> StatusJson.reason(n.reason(), job.firstAttemptedAt());
        };
        String code = next.statusCode() == 0 ? "" : Integer.toString(next.statusCode());
        StatusUpdate status = StatusUpdate.of(job.jobId(), next.state(), attempt, now)
                .withRetryTime(next.retryTime())
                .withResponse(code, response)
                .withFirstAttemptedAt(attempted ? first : job.firstAttemptedAt());
        if (next.state() == JobState.FAILED) context.barrier().failed(job.key(), job.jobId());
        else context.barrier().resolved(job.key(), job.jobId());
        context.commit(new Finished(job, status, attempted ? took : null));
        return next.state();
    }

    /**
     * The lease of the job's partition may expire before a send could end (renewals are failing): not sent, retried
     * later. The status commit checks the lease in the database, so if the partition did move, this status is
     * dropped and the new owner recovers the job.
     */
    public DeliveryResult.NotAttempted leaseNotCertain() {
        return new DeliveryResult.NotAttempted(
                "the partition's lease is not certain to last the send", settings.minBackoff());
    }

    /**
     * Records a job as {@code waiting} behind its user's failing job {@code blocker}. {@code sentAlong} is the
     * answer when the job went out in the same batch as the blocker: it is kept, but the attempt is not counted,
     * since the job is sent again after its blocker.
     */
    public void waiting(RtJob job, long blocker, DeliveryResult.@Nullable Retryable sentAlong) {
        Instant now = context.clock().instant();
        String response = sentAlong == null
                ? StatusJson.waiting(blocker, job.job().userId(), job.firstAttemptedAt())
                : StatusJson.waitingAfterBatch(blocker, job.job().userId(), job.firstAttemptedAt(), sentAlong.body());
        String code = sentAlong == null ? "" : Integer.toString(sentAlong.status());
        context.commit(new Finished(
                job,
                StatusUpdate.waiting(job.jobId(), job.attempts(), now, blocker)
                        .withResponse(code, response)
                        .withFirstAttemptedAt(job.firstAttemptedAt()),
                null));
    }
}
