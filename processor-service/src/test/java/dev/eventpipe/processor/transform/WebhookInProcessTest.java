package dev.eventpipe.processor.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.WorkspaceConfig;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.EventJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The transform stage with {@code processor.transformer.webhook-in-process}: WEBHOOK needs no transformer call. */
class WebhookInProcessTest {
    private static final String CONFIG = """
            {"workspaceId": "ws-1", "sources": [{"id": "src-1", "name": "web", "writeKey": "wk", "enabled": true,
              "workspaceId": "ws-1", "sourceDefinition": {"id": "sd", "name": "HTTP", "category": ""},
              "destinations": [{"id": "d-1", "name": "hook", "enabled": true, "isProcessorEnabled": true,
                 "config": {"webhookUrl": "https://sink.example/hook"},
                 "destinationDefinition": {"id": "dd", "name": "WEBHOOK", "displayName": "Webhook",
                   "config": {}}}]}]}""";
    private static final ConfigIndex INDEX = ConfigIndex.of(Json.mapper().readValue(CONFIG, WorkspaceConfig.class));
    /** The same webhook with a user transformation. */
    private static final ConfigIndex WITH_USER_TRANSFORMATION = ConfigIndex.of(Json.mapper()
            .readValue(
                    CONFIG.replace(
                            "\"isProcessorEnabled\": true,",
                            "\"isProcessorEnabled\": true, \"transformations\": [{\"id\": \"t-1\", \"versionId\": \"v-1\"}],"),
                    WorkspaceConfig.class));

    private static ProcessorProperties properties(boolean inProcess) {
        return new Binder(new MapConfigurationPropertySource(
                        Map.of("processor.transformer.webhook-in-process", String.valueOf(inProcess))))
                .bindOrCreate("processor", Bindable.of(ProcessorProperties.class));
    }

    /** A transformer that records the paths it was asked for and answers like transform.js would not: empty. */
    private static final class Recording extends TransformerClient {
        final List<String> paths = new ArrayList<>();

        Recording(ProcessorProperties p) {
            super(p, new TransformerStatus());
        }

        @Override
        public List<Answer> postAll(String path, List<ArrayNode> bodies, int concurrency) {
            paths.add(path);
            List<Answer> answers = new ArrayList<>();
            for (ArrayNode ignored : bodies) answers.add(new Answer.Items(List.of()));
            return answers;
        }
    }

    private static BatchWork routed(ProcessorProperties p, String events) {
        return routed(p, INDEX, events);
    }

    private static BatchWork routed(ProcessorProperties p, ConfigIndex index, String events) {
        return RoutedWork.of(p, index, events);
    }

    @Test
    void webhookDeliveriesAreBuiltInTheProcessorInTheEventsOrderWithoutCallingTheTransformer() {
        ProcessorProperties p = properties(true);
        Recording transformer = new Recording(p);
        BatchWork work = routed(
                p,
                "{\"type\":\"track\",\"event\":\"one\",\"anonymousId\":\"a\",\"messageId\":\"m1\"},"
                        + "{\"type\":\"track\",\"event\":\"two\",\"anonymousId\":\"a\",\"messageId\":\"m2\"}");

        new TransformStage(transformer, p).apply(work, INDEX);

        assertThat(transformer.paths).isEmpty();
        List<String> events = new ArrayList<>();
        for (var r : work.routed()) {
            assertThat(r.outputs()).hasSize(1);
            JsonNode delivery = EventJson.MAPPER.readTree(r.outputs().getFirst());
            assertThat(delivery.path("endpoint").asString()).isEqualTo("https://sink.example/hook");
            assertThat(delivery.path("userId").asString()).isEqualTo("a");
            events.add(delivery.path("body").path("JSON").path("event").asString());
        }
        assertThat(events).containsExactly("one", "two");
    }

    @Test
    void withTheSettingOffOrAnEventItDoesNotKnowTheTransformerIsAskedAsBefore() {
        ProcessorProperties off = properties(false);
        Recording transformer = new Recording(off);
        new TransformStage(transformer, off)
                .apply(routed(off, "{\"type\":\"track\",\"anonymousId\":\"a\",\"messageId\":\"m1\"}"), INDEX);
        assertThat(transformer.paths).containsExactly("/v0/destinations/webhook");

        ProcessorProperties on = properties(true);
        Recording asked = new Recording(on);
        new TransformStage(asked, on)
                .apply(routed(on, "{\"type\":\"track\",\"anonymousId\":42,\"messageId\":\"m1\"}"), INDEX);
        assertThat(asked.paths).containsExactly("/v0/destinations/webhook");
    }

    /**
     * The default (issue 16): a user transformation still runs in the transformer, and each event it returns, two
     * per input here, gets its WEBHOOK envelope in the processor, in the transformation's order; no destination call.
     */
    @Test
    void byDefaultTheUserTransformationRunsInTheTransformerAndItsOutputsGetTheEnvelopeHereInOrder() {
        ProcessorProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("processor", Bindable.of(ProcessorProperties.class));
        List<String> paths = new ArrayList<>();
        TransformerClient transformer = new TransformerClient(defaults, new TransformerStatus()) {
            @Override
            public List<Answer> postAll(String path, List<ArrayNode> bodies, int concurrency) {
                paths.add(path);
                List<Answer> answers = new ArrayList<>();
                for (ArrayNode body : bodies) {
                    List<JsonNode> items = new ArrayList<>();
                    if (path.equals("/customTransform"))
                        for (JsonNode input : body)
                            for (int copy = 1; copy <= 2; copy++) {
                                ObjectNode output =
                                        (ObjectNode) input.path("message").deepCopy();
                                output.withObject("properties").put("copy", copy);
                                ObjectNode item = EventJson.MAPPER.createObjectNode();
                                item.set("output", output);
                                item.set("metadata", input.path("metadata"));
                                item.put("statusCode", 200);
                                items.add(item);
                            }
                    answers.add(new Answer.Items(items));
                }
                return answers;
            }
        };
        BatchWork work = routed(
                defaults,
                WITH_USER_TRANSFORMATION,
                "{\"type\":\"track\",\"event\":\"one\",\"anonymousId\":\"a\",\"messageId\":\"m1\"},"
                        + "{\"type\":\"track\",\"event\":\"two\",\"anonymousId\":\"a\",\"messageId\":\"m2\"}");

        new TransformStage(transformer, defaults).apply(work, WITH_USER_TRANSFORMATION);

        assertThat(paths).containsExactly("/customTransform");
        List<String> delivered = new ArrayList<>();
        for (var r : work.routed())
            for (String output : r.outputs()) {
                JsonNode delivery = EventJson.MAPPER.readTree(output);
                assertThat(delivery.path("endpoint").asString()).isEqualTo("https://sink.example/hook");
                assertThat(delivery.path("type").asString()).isEqualTo("REST");
                JsonNode event = delivery.path("body").path("JSON");
                delivered.add(event.path("event").asString() + "/"
                        + event.path("properties").path("copy").asInt());
            }
        assertThat(delivered).containsExactly("one/1", "one/2", "two/1", "two/2");
    }
}
