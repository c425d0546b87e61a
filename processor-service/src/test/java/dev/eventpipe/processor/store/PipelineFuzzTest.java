package dev.eventpipe.processor.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.JsonbText;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.WorkspaceConfig;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.fanout.FanOutStage;
import dev.eventpipe.processor.fanout.UnknownSourceException;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.EventJson;
import dev.eventpipe.processor.pipeline.GwJob;
import dev.eventpipe.processor.pipeline.RoutedEvent;
import dev.eventpipe.processor.transform.TransformStage;
import dev.eventpipe.processor.transform.TransformerClient;
import dev.eventpipe.processor.transform.TransformerStatus;
import dev.eventpipe.processor.transform.TransformerUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Jazzer fuzz test of the processor's stages on one gw job: any event (as the gateway stores it) and any
 * transformer answer go through fan-out (integrations, consent, time fields), the user and destination
 * transformations and the building of rt jobs and the gw status without an exception other than the two that
 * mean "retry the batch" (transformer unavailable, config missing), and end in a terminal status whose JSON and
 * rt parameters the queue can store. Regression mode (CI) replays the seeds in
 * {@code src/test/resources/dev/eventpipe/processor/store/PipelineFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes
 * (see the README).
 */
class PipelineFuzzTest {
    private static final String CONFIG = """
            {"workspaceId": "ws-1", "sources": [{"id": "src-1", "name": "web", "writeKey": "wk", "enabled": true,
              "workspaceId": "ws-1", "sourceDefinition": {"id": "sd", "name": "HTTP", "category": ""},
              "destinations": [
                {"id": "d-hook", "name": "hook", "enabled": true, "isProcessorEnabled": true,
                 "config": {"webhookUrl": "http://127.0.0.1:1/x"},
                 "destinationDefinition": {"id": "dd-1", "name": "WEBHOOK", "displayName": "Webhook",
                   "config": {"supportedMessageTypes": ["track", "identify", "page"]}}},
                {"id": "d-consent", "name": "consented", "enabled": true, "isProcessorEnabled": true,
                 "config": {"oneTrustCookieCategories": [{"oneTrustCookieCategory": "marketing"}],
                            "enableServerSideIdentify": false},
                 "destinationDefinition": {"id": "dd-2", "name": "AM", "displayName": "Amplitude", "config": {}}},
                {"id": "d-ut", "name": "transformed", "enabled": true, "isProcessorEnabled": true,
                 "config": {}, "transformations": [{"id": "t-1", "versionId": "v-1"}],
                 "destinationDefinition": {"id": "dd-3", "name": "WEBHOOK", "displayName": "Webhook",
                   "config": {}}}]}]}""";
    private static final ConfigIndex INDEX = ConfigIndex.of(Json.mapper().readValue(CONFIG, WorkspaceConfig.class));
    /**
     * The defaults, but WEBHOOK through the (fake) transformer as every other type: what is fuzzed here is the
     * handling of any transformer answer, which the default in-process WEBHOOK envelope would skip for d-1.
     */
    private static final ProcessorProperties PROPERTIES = new Binder(
                    new MapConfigurationPropertySource(Map.of("processor.transformer.webhook-in-process", "false")))
            .bindOrCreate("processor", Bindable.of(ProcessorProperties.class));

    @FuzzTest(maxDuration = "30s")
    void anyEventAndAnyTransformerAnswerEndInATerminalStatusAndStorableRtJobs(FuzzedDataProvider data) {
        String receivedAt = data.consumeBoolean() ? "2026-11-26T10:00:00.000Z" : data.consumeString(40);
        String event = data.consumeString(4000);
        FakeTransformer transformer = new FakeTransformer(data);
        GwJob job = GwJob.parse(gwJob(event, receivedAt));
        BatchWork work = new BatchWork(List.of(job));
        if (job.invalid() == null)
            for (ObjectNode e : job.events()) work.accepted().add(new BatchWork.Accepted(job, null, e));

        try {
            new FanOutStage(PROPERTIES).apply(work, INDEX);
            new TransformStage(transformer, PROPERTIES).apply(work, INDEX);
        } catch (TransformerUnavailableException | UnknownSourceException retried) {
            return; // the batch is retried as a whole: nothing is decided for the job
        }

        List<NewJob> rtJobs = new ArrayList<>();
        for (RoutedEvent routed : work.routed()) {
            for (String payload : routed.outputs()) rtJobs.add(RtJobs.of(routed, payload));
            if (!routed.outputs().isEmpty())
                work.report(job).stored(routed.outputs().size());
        }
        for (NewJob rt : rtJobs) {
            JsonNode parameters = Json.mapper().readTree(JsonbText.safe(rt.parameters()));
            assertThat(parameters.path("destination_id").asString()).startsWith("d-");
            assertThat(Json.mapper().readTree(rt.payload()).isObject()).isTrue();
        }
        StatusUpdate status = work.report(job).status(job.jobId(), 1, Instant.now());
        assertThat(status.state().terminal()).isTrue();
        assertThat(Json.mapper()
                        .readTree(JsonbText.safe(status.errorResponse()))
                        .isObject())
                .isTrue();
        if (status.state() == JobState.SUCCEEDED) assertThat(rtJobs).isNotEmpty();
    }

    private static Job gwJob(String event, String receivedAt) {
        String payload = "{\"batch\":[" + event + "],\"requestIP\":\"10.0.0.1\",\"writeKey\":\"wk\",\"receivedAt\":"
                + Json.mapper().writeValueAsString(receivedAt) + "}";
        String parameters = "{\"source_id\":\"src-1\",\"source_job_run_id\":\"\",\"source_task_run_id\":\"\"}";
        return new Job(
                42,
                UUID.randomUUID(),
                "anon<<>>anon<<>>",
                "ws-1",
                3,
                "GW",
                parameters,
                payload,
                1,
                payload.length(),
                Instant.parse("2026-11-26T10:00:00Z"),
                null);
    }

    /** A transformer whose answer to each chunk the fuzzer decides: echoed outputs, mixed items, or raw bytes. */
    private static final class FakeTransformer extends TransformerClient {
        private final FuzzedDataProvider data;

        FakeTransformer(FuzzedDataProvider data) {
            super(PROPERTIES, new TransformerStatus());
            this.data = data;
        }

        @Override
        public List<Answer> postAll(String path, List<ArrayNode> bodies, int concurrency) {
            List<Answer> answers = new ArrayList<>();
            for (ArrayNode body : bodies) answers.add(answer(body));
            return answers;
        }

        private Answer answer(ArrayNode body) {
            int mode = data.consumeInt(0, 3);
            if (mode == 3) {
                int code = data.pickValue(new int[] {200, 200, 400, 404, 408, 429, 500, 503, 299});
                return interpret(code, data.consumeBoolean() ? "2" : "1", data.consumeBytes(200));
            }
            ArrayNode items = EventJson.MAPPER.createArrayNode();
            for (JsonNode input : body) {
                int outputs = mode == 0 ? 1 : data.consumeInt(0, 3);
                for (int i = 0; i < outputs; i++) {
                    ObjectNode item = items.addObject();
                    item.set("metadata", mode == 2 && data.consumeBoolean() ? fuzzed() : input.path("metadata"));
                    int status = mode == 0 ? 200 : data.pickValue(new int[] {200, 200, 298, 400, 500, 0});
                    item.put("statusCode", status);
                    if (status == 200) item.set("output", data.consumeBoolean() ? input.path("message") : fuzzed());
                    else item.put("error", data.consumeString(30));
                }
            }
            return interpret(200, "2", items.toString().getBytes(StandardCharsets.UTF_8));
        }

        private JsonNode fuzzed() {
            try {
                JsonNode node = EventJson.MAPPER.readTree(data.consumeString(60));
                return node == null || node.isMissingNode() ? EventJson.MAPPER.createObjectNode() : node;
            } catch (RuntimeException e) {
                return EventJson.MAPPER.createObjectNode();
            }
        }
    }
}
