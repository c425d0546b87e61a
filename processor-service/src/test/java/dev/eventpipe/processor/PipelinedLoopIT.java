package dev.eventpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.jobsdb.StatusUpdate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pipelined loop (fetch, stages and store of different batches overlapping) keeps the serial loop's promises:
 * batches commit in fetch order even when an earlier one has to be retried, and an id accepted by a batch whose
 * dedup read ran before an earlier batch committed that id is caught before commit.
 */
class PipelinedLoopIT extends TestBedCase {
    ConfigurableApplicationContext processor;

    private void start() {
        processor = bed.processor(
                "pipelined",
                "processor.batch.max-jobs=10",
                "processor.pipeline.max-batches-in-flight=4",
                "processor.pipeline.transform-threads=2",
                "processor.transformer.min-backoff=50ms");
    }

    @Test
    void batchesCommitInFetchOrderWhileEarlierOnesAreRetried() {
        bed.transformer()
                .delay(20); // each batch spends a while in the transformer, so the next ones are fetched meanwhile
        bed.transformer().failNext(6, 503);
        start();
        int users = 12;
        int perUser = 25; // 300 jobs, 30 batches of 10
        bed.storeInterleaved(users, perUser);

        await().atMost(Duration.ofSeconds(60)).until(() -> rows.rtCount("src-1") >= users * perUser);
        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(5))
                .until(() -> rows.rtCount("src-1") == users * perUser);
        bed.assertOncePerMessageInOrder(users);
        assertThat(Processors.batches(processor, "transformer"))
                .isPositive(); // the scripted outage did hit batches and was retried
        assertThat(rows.gwInState("succeeded")).isEqualTo(users * perUser);
    }

    @Test
    void anIdCommittedByAnEarlierBatchInFlightIsADuplicateInTheLaterOne() {
        bed.transformer().hold();
        ObjectNode original = GwJobs.track("anon-a", "Signed Up");
        GwJobs jobs = GwJobs.create();
        jobs.add("src-1", "wk-1", original); // batch A: the id, then 9 other events
        for (int i = 1; i < 10; i++) jobs.add("src-1", "wk-1", GwJobs.track("anon-" + i, "a"));
        jobs.add("src-1", "wk-1", original.deepCopy()); // batch B: the same id again (a client's retry), then 9 more
        for (int i = 11; i < 20; i++) jobs.add("src-1", "wk-1", GwJobs.track("anon-" + i, "b"));
        List<Long> ids = jobs.store(bed.jobsDbs());
        start();
        // both batches are in flight, each held in the transformer after its dedup read, while nothing is
        // committed: B's read could not see A's id
        await().atMost(Duration.ofSeconds(20)).until(() -> bed.transformer().held() == 2);
        bed.transformer().release();

        await().atMost(Duration.ofSeconds(20)).until(() -> rows.gw(ids.get(19)).state() != null);
        assertThat(rows.rtCount("src-1")).isEqualTo(19);
        assertThat(rows.gw(ids.get(0)).state()).isEqualTo("succeeded");
        assertThat(rows.gw(ids.get(10)).state()).isEqualTo("filtered");
        assertThat(rows.gw(ids.get(10)).errorResponse().path("reason").asString())
                .isEqualTo("duplicate messageId");
        // caught before B's commit by the ids A committed, not left to the claim (which an hour boundary defeats)
        assertThat(Processors.batches(processor, "dedup_overlap")).isPositive();
    }

    private double meter(String name, String tag, String value, boolean timer) {
        MeterRegistry meters = processor.getBean(MeterRegistry.class);
        if (timer) {
            var t = meters.find(name).tag(tag, value).timer();
            return t == null ? 0 : t.count();
        }
        Counter c = meters.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    /** Fetches the loop made, and windows of gw jobs its reads walked (jobsdb's {@code jobsdb.read.windows}). */
    private double fetches() {
        return meter("processor.stage.duration", "stage", "fetch", true);
    }

    private double gwWindows() {
        return meter("jobsdb.read.windows", "queue", "gw", false);
    }

    @Test
    void anIdleProcessorDoesNotWalkTheFinishedJobsAgainOnEveryFetch() {
        // 20,000 finished gw jobs below the cursor's start (0): twenty of the largest windows of a 10-job fetch (1,000)
        JobsDb gw = bed.jobsDbs().queue(Queue.GW);
        List<Long> ids = gw.store(IntStream.range(0, 20_000)
                .mapToObj(i -> NewJob.of("idle-" + (i % 50), "wk-1", "GW", "{\"source_id\":\"src-1\"}", "{}"))
                .toList());
        Instant now = Instant.now();
        gw.updateStatus(ids.stream()
                .map(id -> StatusUpdate.of(id, JobState.SUCCEEDED, 1, now))
                .toList());
        start();
        await().atMost(Duration.ofSeconds(60)).until(() -> fetches() >= 10);
        double fetches = fetches();
        double windows = gwWindows();
        await().atMost(Duration.ofSeconds(90)).until(() -> fetches() >= fetches + 40);
        double perFetch = (gwWindows() - windows) / (fetches() - fetches);
        // before (review P3-1) an empty fetch left the cursor at 0: every idle fetch walked all twenty windows
        assertThat(perFetch)
                .as("windows walked per idle fetch (a restart of the cursor at a lease change walks the twenty once)")
                .isLessThan(5);
        assertThat(rows.rtCount("src-1")).isZero();
    }
}
