package dev.eventpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.processor.dedup.DedupStage;
import dev.eventpipe.processor.fanout.FanOutStage;
import dev.eventpipe.processor.pipeline.Batch;
import dev.eventpipe.processor.pipeline.BatchPipeline;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.GwJob;
import dev.eventpipe.processor.pipeline.PipelineMetrics;
import dev.eventpipe.processor.pipeline.ProcessingLoop;
import dev.eventpipe.processor.transform.TransformStage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Review P3-5: a job whose stages fail for its own data, the same on every attempt, is isolated like a job the
 * database refuses (the batch is split until it fails alone) and aborted with the reason; every other job of its
 * batch is stored, in order, and the loop goes on. Before, a stack overflow ended the store thread (and again after
 * each restart), and a failure of the JSON reader's limits retried the batch, and everything behind it, for ever.
 */
class StageFailureIT extends TestBedCase {
    static final int USERS = 4;
    static final int PER_USER = 5;

    ConfigurableApplicationContext processor;

    /**
     * An event nested 498 levels deep: the processor reads it (its JSON reader allows 500 levels), but the
     * transformer's answer puts it two levels deeper, which the reader refuses on every attempt.
     */
    @Test
    void anEventTooDeepForTheTransformersAnswerIsAbortedAloneAndTheRestOfItsBatchStoredInOrder() {
        List<Long> ids = storeBatchWithPoisonAt(1, 2, (anonymousId, seq) -> deeplyNested(anonymousId, seq, 498));
        processor = bed.processor("deep", settings());

        long poison = ids.get(2 * USERS + 1);
        awaitSettled(ids);
        QueueRows.GwState state = rows.gw(poison);
        assertThat(state.state()).isEqualTo("aborted");
        assertThat(state.errorCode()).isEqualTo("400");
        assertThat(state.errorResponse().path("stage").asString()).isEqualTo("processing");
        assertThat(state.errorResponse().path("reason").asString())
                .startsWith("the event exceeds a JSON limit: ")
                .contains("nesting depth");
        assertEveryOtherEventStoredOnceInOrder(ids.size() - 1);
        assertTheLoopGoesOn();
    }

    /** A stage that recurses without end on one event: a real StackOverflowError on the thread running it. */
    @Test
    void aStackOverflowInAStageAbortsTheOneJobAndTheLoopLivesOn() {
        List<Long> ids = storeBatchWithPoisonAt(1, 2, (anonymousId, seq) -> {
            ObjectNode e = event(anonymousId, seq);
            e.withObject("properties").put("overflow", true);
            return e.toString();
        });
        processor = bed.processor(List.of(OverflowingStage.class), "overflow", settings());

        long poison = ids.get(2 * USERS + 1);
        awaitSettled(ids);
        QueueRows.GwState state = rows.gw(poison);
        assertThat(state.state()).isEqualTo("aborted");
        assertThat(state.errorResponse().path("stage").asString()).isEqualTo("processing");
        assertThat(state.errorResponse().path("reason").asString())
                .isEqualTo("processing failed: java.lang.StackOverflowError");
        assertEveryOtherEventStoredOnceInOrder(ids.size() - 1);
        assertTheLoopGoesOn();
    }

    private static String[] settings() {
        // one batch holds every job, so the poison's batch holds the other users' events and its own user's later ones
        return new String[] {"processor.batch.max-jobs=" + USERS * PER_USER, "processor.transformer.min-backoff=50ms"};
    }

    interface PoisonEvent {
        String json(String anonymousId, int seq);
    }

    /** {@code PER_USER} events of each of {@code USERS} users, interleaved; one of them is the poison. */
    private List<Long> storeBatchWithPoisonAt(int user, int seq, PoisonEvent poison) {
        GwJobs jobs = GwJobs.create();
        for (int s = 0; s < PER_USER; s++)
            for (int u = 0; u < USERS; u++) {
                if (u == user && s == seq) jobs.addText("src-1", "wk-1", "user-" + u, poison.json("user-" + u, s));
                else jobs.add("src-1", "wk-1", event("user-" + u, s));
            }
        return jobs.store(bed.jobsDbs());
    }

    private static ObjectNode event(String anonymousId, int seq) {
        ObjectNode e = GwJobs.track(anonymousId, "step");
        e.putObject("properties").put("seq", seq);
        return e;
    }

    /** An event whose {@code properties} hold a chain of objects, the event {@code depth} levels deep. */
    private static String deeplyNested(String anonymousId, int seq, int depth) {
        StringBuilder json = new StringBuilder();
        json.append("{\"type\":\"track\",\"event\":\"step\",\"anonymousId\":\"")
                .append(anonymousId)
                .append("\",\"messageId\":\"")
                .append(UUID.randomUUID())
                .append("\",\"properties\":{\"seq\":")
                .append(seq)
                .append(",\"nested\":");
        int chain = depth - 2; // the event and its properties are the first two levels
        json.append("{\"a\":".repeat(chain - 1)).append("{}").append("}".repeat(chain - 1));
        return json.append("}}").toString();
    }

    private void awaitSettled(List<Long> ids) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> ids.stream().allMatch(id -> rows.gw(id).state() != null));
    }

    private void assertEveryOtherEventStoredOnceInOrder(int expected) {
        assertThat(rows.gwInState("succeeded")).isEqualTo(expected);
        List<QueueRows.Rt> rt = rows.rt("src-1");
        assertThat(rt).hasSize(expected);
        assertThat(rt.stream().map(r -> r.parameters().path("message_id").asString()))
                .doesNotHaveDuplicates();
        Map<String, List<Integer>> seqs = new HashMap<>();
        for (QueueRows.Rt r : rt)
            seqs.computeIfAbsent(r.userId(), k -> new ArrayList<>())
                    .add(r.payload()
                            .path("body")
                            .path("JSON")
                            .path("properties")
                            .path("seq")
                            .asInt());
        assertThat(seqs).hasSize(USERS);
        seqs.forEach((user, order) -> {
            if (user.contains("user-1")) assertThat(order).as(user).containsExactly(0, 1, 3, 4);
            else assertThat(order).as(user).containsExactly(0, 1, 2, 3, 4);
        });
    }

    /** Both threads of the loop are alive and a later event is stored. */
    private void assertTheLoopGoesOn() {
        assertThat(processor.getBean(ProcessingLoop.class).loopAlive()).isTrue();
        int before = rows.rtCount("src-1");
        GwJobs.create().add("src-1", "wk-1", event("user-9", 0)).store(bed.jobsDbs());
        await().atMost(Duration.ofSeconds(30)).until(() -> rows.rtCount("src-1") == before + 1);
        assertThat(processor.getBean(ProcessingLoop.class).loopAlive()).isTrue();
    }

    /**
     * A bean source (not {@code @Configuration}, see {@link Processors}): the real stages, after a walk that recurses without end over an event marked
     * {@code overflow}, on whichever thread runs the stages (a pipeline worker, or the store thread's bisection).
     */
    static class OverflowingStage {
        @Bean
        @Primary
        BatchPipeline overflowingPipeline(
                DedupStage dedup, FanOutStage fanOut, TransformStage transform, PipelineMetrics metrics) {
            return new BatchPipeline(dedup, fanOut, transform, metrics) {
                @Override
                public BatchWork run(Batch batch, ConfigIndex config) {
                    for (GwJob job : batch.jobs())
                        for (ObjectNode e : job.events())
                            if (e.path("properties").path("overflow").asBoolean()) walk(e);
                    return super.run(batch, config);
                }
            };
        }

        private static int walk(JsonNode node) {
            return 1 + walk(node);
        }
    }
}
