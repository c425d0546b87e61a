package dev.eventpipe.transformer.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.json.Json;
import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.destination.DestinationCatalog;
import dev.eventpipe.transformer.sandbox.ContextPool;
import dev.eventpipe.transformer.sandbox.JsEngine;
import dev.eventpipe.transformer.sandbox.Realm;
import dev.eventpipe.transformer.sandbox.SandboxProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.graalvm.polyglot.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Batch modules in the sandbox: what user code tries to leave behind, and calls the sandbox stops. */
class BatchSandboxTest {
    private static final JsonMapper JSON = Json.mapper();
    private static ContextPool pool;
    private static BatchTransformer transformer;

    @BeforeAll
    static void start() {
        pool = new ContextPool(new JsEngine(SandboxProperties.defaults().withPoolSize(1)));
        transformer = new BatchTransformer(pool, new DestinationCatalog(JSON), JSON, new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @Test
    void aUserScriptThatReplacesJsonStringifyDoesNotChangeBatchedBodies() {
        Source evil = Source.newBuilder(
                        "js",
                        "(function(){ JSON.stringify = () => '\"hijacked\"';"
                                + " return {transformEvent: e => e}; })()",
                        "evil.js")
                .buildLiteral();
        String ran = pool.submit(
                        Realm.transformation("evil"), js -> js.runEvent(js.userCode("evil", evil), "{\"a\":1}", "{}"))
                .join();
        assertThat(ran).isEqualTo("1{\"a\":1}"); // JSON is frozen: the replacement did not take
        List<BatchResponseItem> answer = transformer.batch("webhook", List.of(item(1), item(2)));
        assertThat(answer).hasSize(1);
        JsonNode request = JSON.readTree(answer.getFirst().batchedRequest());
        JsonNode array = JSON.readTree(request.at("/body/JSON_ARRAY/batch").asString());
        assertThat(array.findValuesAsString("messageId")).containsExactly("m1", "m2");
    }

    @Test
    void aCallTheSandboxStopsAnswersItsItemsWith500SoTheRouterRetriesThem() {
        SandboxProperties limited = SandboxProperties.defaults().withPoolSize(1).withStatementLimit(100_000);
        try (ContextPool small = new ContextPool(new JsEngine(limited))) {
            BatchTransformer limitedTransformer =
                    new BatchTransformer(small, new DestinationCatalog(JSON), JSON, new SimpleMeterRegistry());
            ObjectNode headers = JSON.createObjectNode();
            for (int h = 0; h < 100_000; h++) {
                headers.put("x-" + h, "v"); // key() sorts them: far more statements than the limit
            }
            TransformRequestItem heavy = item(1);
            ((ObjectNode) heavy.message()).set("headers", headers);
            List<BatchResponseItem> answer = limitedTransformer.batch("webhook", List.of(heavy, item(2)));
            assertThat(answer).extracting(BatchResponseItem::statusCode).containsExactly(500, 500);
            assertThat(answer.get(0).error()).contains("Statement count limit");
            assertThat(answer.get(1).error()).isEqualTo("Not run: the sandbox stopped");
            // the pool replaced the cancelled context
            assertThat(limitedTransformer.batch("webhook", List.of(item(3), item(4))))
                    .extracting(BatchResponseItem::statusCode)
                    .containsExactly(200);
        }
    }

    private static TransformRequestItem item(int job) {
        JsonNode delivery = JSON.readTree("""
                {"version": "1", "type": "REST", "method": "POST", "endpoint": "https://sink.example/",
                 "headers": {}, "params": {}, "body": {"JSON": {"messageId": "m%d"}}, "userId": ""}""".formatted(job));
        ObjectNode metadata = JSON.createObjectNode().put("jobId", job).put("userId", "u" + job);
        JsonNode destination = JSON.readTree("{\"ID\": \"d1\", \"Config\": {\"enableBatching\": true}}");
        return new TransformRequestItem(delivery, metadata, destination, null, null);
    }
}
