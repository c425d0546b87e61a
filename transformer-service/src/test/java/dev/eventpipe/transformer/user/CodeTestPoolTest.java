package dev.eventpipe.transformer.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.json.Json;
import dev.eventpipe.transformer.StubConfigBackend;
import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.contract.TransformResponseItem;
import dev.eventpipe.transformer.sandbox.ContextPool;
import dev.eventpipe.transformer.sandbox.JsEngine;
import dev.eventpipe.transformer.sandbox.SandboxProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A code test that tries to stall the pool (security review P1-5) ends at its deadline and holds no production thread. */
class CodeTestPoolTest {
    private static final JsonMapper JSON = Json.mapper();

    @Test
    void aCodeTestThatNeverEndsStopsAtItsDeadlineWhileProductionRuns() {
        SandboxProperties limits = SandboxProperties.defaults()
                .withPoolSize(1)
                .withStatementLimit(0)
                .withTimeout(Duration.ofMinutes(10))
                .withDeadlines(Duration.ofMinutes(5), Duration.ofSeconds(2));
        try (ContextPool production = new ContextPool(new JsEngine(limits));
                TransformationTester tester =
                        new TransformationTester(ContextPool.sharing(production.engine(), 1, 0, "js-test"), JSON)) {
            List<JsonNode> events = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                events.add(JSON.createObjectNode().put("messageId", "t" + i));
            }
            CompletableFuture<TestRun> stalling = CompletableFuture.supplyAsync(
                    () -> tester.test("export function transformEvent(e) { while (true) {} }", events));

            StubConfigBackend.INSTANCE.put("v-production", "export function transformEvent(e) { e.ok = 1; return e; }");
            CodeStore codes = new CodeStore(
                    new ConfigBackendProperties(
                            StubConfigBackend.INSTANCE.url(), StubConfigBackend.TOKEN, Duration.ofSeconds(10)),
                    10,
                    JSON);
            List<TransformResponseItem> answer = new UserTransformer(production, codes, JSON, new SimpleMeterRegistry())
                    .transform(List.of(JSON.readValue("""
                            {"message": {"messageId": "p"}, "metadata": {"messageId": "p"},
                             "destination": {"Transformations": [{"VersionID": "v-production"}]}}""", TransformRequestItem.class)), false);
            assertThat(answer).extracting(TransformResponseItem::statusCode).containsExactly(200);

            TestRun run = stalling.join();
            assertThat(run.errors()).hasSize(1000);
            assertThat(run.errors()).allSatisfy(e -> assertThat(e.error()).contains("deadline"));
        }
    }
}
