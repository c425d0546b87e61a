package dev.eventpipe.processor.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.WorkspaceConfig;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.GwJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The fan-out stage alone: a source or pinned destination missing from the config waits for the grace. */
class FanOutStageTest {
    private static final String CONFIG = """
            {"workspaceId": "ws-1", "sources": [{"id": "src-1", "name": "web", "writeKey": "wk", "enabled": true,
              "workspaceId": "ws-1", "sourceDefinition": {"id": "sd", "name": "HTTP", "category": ""},
              "destinations": [{"id": "d-1", "name": "hook", "enabled": true, "isProcessorEnabled": true,
                 "config": {}, "destinationDefinition": {"id": "dd", "name": "WEBHOOK", "displayName": "Webhook",
                   "config": {}}}]}]}""";
    private static final ConfigIndex WITH_SOURCE =
            ConfigIndex.of(Json.mapper().readValue(CONFIG, WorkspaceConfig.class));
    private static final ConfigIndex WITHOUT_SOURCE = ConfigIndex.of(WorkspaceConfig.empty());

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-26T10:00:00Z"));
    private final FanOutStage stage = new FanOutStage(Duration.ofMinutes(10), now::get);

    private static BatchWork work(String parameters) {
        // a job a day old: its age must not matter
        String payload =
                "{\"batch\":[{\"type\":\"track\",\"anonymousId\":\"a\"}],\"receivedAt\":\"2026-11-25T10:00:00.000Z\"}";
        Job job = new Job(
                1,
                UUID.randomUUID(),
                "a<<>>a<<>>",
                "ws-1",
                0,
                "GW",
                parameters,
                payload,
                1,
                payload.length(),
                Instant.parse("2026-11-25T10:00:00Z"),
                null);
        GwJob gw = GwJob.parse(job);
        BatchWork work = new BatchWork(List.of(gw));
        for (ObjectNode event : gw.events()) work.accepted().add(new BatchWork.Accepted(gw, null, event));
        return work;
    }

    @Test
    void anOldJobOfAMissingSourceWaitsUntilTheSourceHasBeenMissingForTheGraceThenIsAborted() {
        assertThatThrownBy(() -> stage.apply(work("{\"source_id\":\"src-1\"}"), WITHOUT_SOURCE))
                .isInstanceOf(UnknownSourceException.class);
        now.set(now.get().plus(Duration.ofMinutes(9)));
        assertThatThrownBy(() -> stage.apply(work("{\"source_id\":\"src-1\"}"), WITHOUT_SOURCE))
                .isInstanceOf(UnknownSourceException.class);
        now.set(now.get().plus(Duration.ofMinutes(1)));
        BatchWork aborted = work("{\"source_id\":\"src-1\"}");
        stage.apply(aborted, WITHOUT_SOURCE);
        assertThat(aborted.routed()).isEmpty();
        assertThat(aborted.report(aborted.jobs().getFirst()).state().terminal()).isTrue();
    }

    @Test
    void aSourceThatComesBackIsRoutedAndItsGraceStartsAfreshWhenItGoesAgain() {
        assertThatThrownBy(() -> stage.apply(work("{\"source_id\":\"src-1\"}"), WITHOUT_SOURCE))
                .isInstanceOf(UnknownSourceException.class);
        now.set(now.get().plus(Duration.ofMinutes(9)));
        BatchWork routed = work("{\"source_id\":\"src-1\"}");
        stage.apply(routed, WITH_SOURCE);
        assertThat(routed.routed()).hasSize(1);
        now.set(now.get().plus(Duration.ofMinutes(5)));
        assertThatThrownBy(() -> stage.apply(work("{\"source_id\":\"src-1\"}"), WITHOUT_SOURCE))
                .isInstanceOf(UnknownSourceException.class);
    }

    @Test
    void aPinnedDestinationMissingFromTheConfigWaitsLikeAMissingSource() {
        String pinned = "{\"source_id\":\"src-1\",\"destination_id\":\"d-later\"}";
        assertThatThrownBy(() -> stage.apply(work(pinned), WITH_SOURCE)).isInstanceOf(UnknownSourceException.class);
        now.set(now.get().plus(Duration.ofMinutes(10)));
        BatchWork aborted = work(pinned);
        stage.apply(aborted, WITH_SOURCE);
        assertThat(aborted.routed()).isEmpty();
        assertThat(aborted.report(aborted.jobs().getFirst()).state().terminal()).isTrue();
    }
}
