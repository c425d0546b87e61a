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
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Review P3-8: struck versions run alone, but not all on one thread. Two struck versions in one request, each with
 * an event that takes 4 s (wall clock, a busy loop on Date.now), under a 6.5 s request deadline: on one "alone"
 * thread the second waited for the first and the whole request, every tenant's events in it, was answered 503
 * (deadline, at 8 s); on the pool of {@link UserTransformer#ALONE_THREADS} they run side by side and both are
 * answered. The wait for an alone thread is measured ({@code transformer.alone.wait}). (With 1.5 s calls under a
 * 2.6 s deadline, the margin of 1.1 s for two new contexts and the code's fetch was too small on a busy machine:
 * on 2026-11-30 one run in three was answered 503 with two alone threads.) The engine is warmed up first, so that
 * the new contexts of the request are quick.
 */
class AloneThreadsTest {
    private static final JsonMapper JSON = Json.mapper();
    private static final StubConfigBackend BACKEND = StubConfigBackend.INSTANCE;

    @Test
    void twoStruckVersionsOfOneRequestDoNotQueueBehindEachOtherPastTheDeadline() {
        SandboxProperties limits = SandboxProperties.defaults()
                .withPoolSize(1)
                .withStatementLimit(0)
                .withTimeout(Duration.ofMinutes(1))
                .withDeadlines(Duration.ofMillis(6500), Duration.ofSeconds(10));
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (ContextPool pool = new ContextPool(new JsEngine(limits));
                UserTransformer user = new UserTransformer(
                        pool,
                        new CodeStore(
                                new ConfigBackendProperties(
                                        BACKEND.url(), StubConfigBackend.TOKEN, Duration.ofSeconds(10)),
                                10,
                                JSON),
                        JSON,
                        metrics)) {
            BACKEND.put("v-warm-up", "export function transformEvent(e) { return e; }");
            assertThat(user.transform(List.of(item("v-warm-up", "w")), true))
                    .extracting(TransformResponseItem::statusCode)
                    .containsExactly(200);
            for (String version : List.of("v-struck-a", "v-struck-b")) {
                BACKEND.put(
                        version,
                        "export function transformEvent(e) { const end = Date.now() + 4000;"
                                + " while (Date.now() < end) {} e.ran = true; return e; }");
                for (int strike = 0; strike < 3; strike++) {
                    user.strikes().strike(version);
                }
                assertThat(user.strikes().alone(version)).isTrue();
            }
            List<TransformResponseItem> answer =
                    user.transform(List.of(item("v-struck-a", "a1"), item("v-struck-b", "b1")), true);
            assertThat(answer).extracting(TransformResponseItem::statusCode).containsExactly(200, 200);
            assertThat(metrics.get("transformer.alone.wait").timer().count()).isEqualTo(2);
        }
    }

    private static TransformRequestItem item(String versionId, String messageId) {
        ObjectNode metadata = JSON.createObjectNode()
                .put("messageId", messageId)
                .put("sourceId", "s")
                .put("destinationId", "d-" + versionId);
        return new TransformRequestItem(
                JSON.createObjectNode().put("messageId", messageId).put("type", "track"),
                metadata,
                JSON.readTree("{\"Transformations\":[{\"VersionID\":\"" + versionId + "\"}]}"),
                null,
                null);
    }
}
