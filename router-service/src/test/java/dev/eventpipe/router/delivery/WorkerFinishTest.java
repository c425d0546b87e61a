package dev.eventpipe.router.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.JobStatus;
import dev.eventpipe.router.config.DestinationSettings;
import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.ordering.Barrier;
import dev.eventpipe.router.ordering.InFlight;
import dev.eventpipe.router.status.Finished;
import dev.eventpipe.router.status.RtJob;
import dev.eventpipe.router.status.StatusCommitter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * What {@link Worker#finish} records as a job's first attempt time, from which its retry window counts: the start
 * of the send, {@code took} before the attempt ended (finding 3 of notes/2026-11-30-pipelineit-double in
 * system-tests: it was the end, so after a timed-out first attempt the window started a whole http-timeout late).
 */
class WorkerFinishTest {
    static final Instant NOW = Instant.parse("2026-11-30T17:05:48.516123456Z");
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Aborts a 5xx on its first attempt once 5 s have passed since that attempt began. */
    static final DestinationSettings SETTINGS = new DestinationSettings(
            8,
            1000,
            TIMEOUT,
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            1,
            Duration.ofHours(720),
            0,
            Duration.ofSeconds(1),
            100,
            Duration.ofSeconds(1),
            Duration.ofMillis(100));

    final Barrier barrier = new Barrier();
    final InFlight inFlight = new InFlight();
    final StatusCommitter committer = new StatusCommitter(null, null, null, null, inFlight, barrier, properties());
    final Worker worker = new Worker(
            "w-test",
            new WorkerContext(
                    null,
                    barrier,
                    inFlight,
                    InstantSource.fixed(NOW),
                    null,
                    committer,
                    null,
                    null,
                    new SimpleMeterRegistry()),
            SETTINGS);

    static DeliveryResult.Retryable timedOut() {
        return new DeliveryResult.Retryable(504, "request timed out after 10s", "text/plain", null);
    }

    @Test
    void aFirstAttemptThatTimedOutCountsFromWhenItsSendBegan() {
        JobState state = worker.finish(job(0, null), timedOut(), TIMEOUT);

        Instant began = Instant.parse("2026-11-30T17:05:38.516123Z"); // NOW - 10 s, to the microsecond
        assertThat(committed().firstAttemptedAt()).isEqualTo(began);
        assertThat(committed().execTime()).isEqualTo(NOW);
        // the window (5 s) was spent during the attempt itself: with one attempt required, it is aborted
        assertThat(state).isEqualTo(JobState.ABORTED);
    }

    @Test
    void aQuickFirstAttemptIsFailedWithinItsWindow() {
        JobState state = worker.finish(job(0, null), timedOut(), Duration.ofMillis(3));

        assertThat(committed().firstAttemptedAt()).isEqualTo(Instant.parse("2026-11-30T17:05:48.513123Z"));
        assertThat(state).isEqualTo(JobState.FAILED);
    }

    @Test
    void aRetryKeepsTheFirstAttemptItWasGiven() {
        Instant first = Instant.parse("2026-11-30T17:05:46.000001Z");
        JobState state = worker.finish(job(1, first), timedOut(), TIMEOUT);

        assertThat(committed().firstAttemptedAt()).isEqualTo(first);
        assertThat(committed().attempt()).isEqualTo(2);
        assertThat(state).isEqualTo(JobState.FAILED); // 2.5 s since the first attempt began
    }

    @Test
    void anAttemptWithoutADurationCountsFromNow() {
        // a crashed delivery (the worker's catch-all) or a payload that could not be parsed: no send was timed
        worker.finish(job(0, null), new DeliveryResult.Rejected(400, "invalid delivery payload", ""), null);

        assertThat(committed().firstAttemptedAt()).isEqualTo(Instant.parse("2026-11-30T17:05:48.516123Z"));
    }

    @Test
    void notAttemptingRecordsNoFirstAttempt() {
        worker.finish(job(0, null), worker.leaseNotCertain(), null);

        assertThat(committed().firstAttemptedAt()).isNull();
        assertThat(committed().attempt()).isZero();
    }

    static RtJob job(int attempts, @Nullable Instant firstAttemptedAt) {
        JobStatus last = attempts == 0
                ? null
                : new JobStatus(
                        JobState.FAILED, attempts, NOW.minusSeconds(1), NOW, "504", "{}", firstAttemptedAt, null);
        return RtJob.of(new Job(
                7,
                UUID.randomUUID(),
                "u-1",
                "ws-1",
                0,
                "WEBHOOK",
                "{\"destination_id\":\"d-1\"}",
                "{}",
                1,
                2,
                NOW.minusSeconds(60),
                last));
    }

    /**
     * The one status the worker handed to the committer. The committer is final and not started here (it would
     * write to a database), so its queue is read.
     */
    dev.eventpipe.jobsdb.StatusUpdate committed() {
        try {
            var field = StatusCommitter.class.getDeclaredField("queue");
            field.setAccessible(true);
            @SuppressWarnings("unchecked")
            BlockingQueue<Finished> queue = (BlockingQueue<Finished>) field.get(committer);
            assertThat(queue).hasSize(1);
            return queue.peek().status();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static RouterProperties properties() {
        return new RouterProperties(
                Duration.ofSeconds(1),
                1000,
                DataSize.ofMegabytes(100),
                10,
                25,
                1000,
                Duration.ofMillis(200),
                Duration.ofSeconds(30),
                "",
                SETTINGS,
                Map.of(),
                false,
                new RouterProperties.Transformer(
                        "http://127.0.0.1:9090", Duration.ofSeconds(30), Duration.ofMinutes(1)),
                Duration.ofMinutes(10),
                Duration.ofSeconds(5),
                new RouterProperties.Retention(Duration.ofDays(30), Duration.ofDays(30), Duration.ofHours(1)));
    }
}
