package dev.eventpipe.processor.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.WorkspaceConfig;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.EventJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The transformation stage alone, with a transformer that answers what each test scripts. */
class TransformStageTest {
    private static final String CONFIG = """
            {"workspaceId": "ws-1", "sources": [{"id": "src-1", "name": "web", "writeKey": "wk", "enabled": true,
              "workspaceId": "ws-1", "sourceDefinition": {"id": "sd", "name": "HTTP", "category": ""},
              "destinations": [{"id": "d-ut", "name": "hook", "enabled": true, "isProcessorEnabled": true,
                 "config": {}, "transformations": [{"id": "t-1", "versionId": "v-1"}],
                 "destinationDefinition": {"id": "dd", "name": "WEBHOOK", "displayName": "Webhook",
                   "config": {}}}]}]}""";
    private static final ConfigIndex INDEX = ConfigIndex.of(Json.mapper().readValue(CONFIG, WorkspaceConfig.class));
    private static final ProcessorProperties PROPERTIES = new Binder(
                    ConfigurationPropertySources.get(new StandardEnvironment()))
            .bindOrCreate("processor", Bindable.of(ProcessorProperties.class));

    /** Answers the user transformation with {@code userAnswer(input item)} items, and echoes destination calls. */
    private static TransformerClient transformer(Function<JsonNode, List<ObjectNode>> userAnswer) {
        return new TransformerClient(PROPERTIES, new TransformerStatus()) {
            @Override
            public List<Answer> postAll(String path, List<ArrayNode> bodies, int concurrency) {
                List<Answer> answers = new ArrayList<>();
                for (ArrayNode body : bodies) {
                    List<JsonNode> items = new ArrayList<>();
                    for (JsonNode input : body) {
                        if (path.equals("/customTransform")) items.addAll(userAnswer.apply(input));
                        else items.add(item(input, 200, input.path("message"), ""));
                    }
                    answers.add(new Answer.Items(items));
                }
                return answers;
            }
        };
    }

    private static ObjectNode item(JsonNode input, int status, JsonNode output, String error) {
        ObjectNode item = EventJson.MAPPER.createObjectNode();
        item.set("metadata", input.path("metadata"));
        item.put("statusCode", status);
        if (status == 200) item.set("output", output);
        else item.put("error", error);
        return item;
    }

    private static BatchWork routedWork() {
        return RoutedWork.of(
                PROPERTIES, INDEX, "{\"type\":\"track\",\"event\":\"e\",\"anonymousId\":\"a\",\"messageId\":\"m\"}");
    }

    @Test
    void aFailedOutputOfAUserTransformationFanOutNeverDiscardsItsSiblingsWhateverTheOrder() {
        BatchWork work = routedWork();
        TransformStage stage = new TransformStage(
                transformer(input -> List.of(
                        item(input, 400, null, "first output failed"),
                        item(input, 200, input.path("message"), ""),
                        item(input, 200, input.path("message"), ""))),
                PROPERTIES);

        stage.apply(work, INDEX);

        assertThat(work.routed().getFirst().outputs()).hasSize(2);
        work.report(work.jobs().getFirst()).stored(2);
        var status = work.report(work.jobs().getFirst()).status(7, 1, Instant.now());
        assertThat(status.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(status.errorResponse()).contains("first output failed");
    }

    @Test
    void anEventWhoseEveryOutputFailedGoesNoFurtherAndIsAbortedWithTheReasons() {
        BatchWork work = routedWork();
        TransformStage stage = new TransformStage(
                transformer(input -> List.of(item(input, 400, null, "bad one"), item(input, 500, null, "bad two"))),
                PROPERTIES);

        stage.apply(work, INDEX);

        assertThat(work.routed().getFirst().outputs()).isEmpty();
        var status = work.report(work.jobs().getFirst()).status(7, 1, Instant.now());
        assertThat(status.state()).isEqualTo(JobState.ABORTED);
        assertThat(status.errorResponse()).contains("bad one").contains("bad two");
    }
}
