package dev.eventpipe.transformer.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.model.json.Json;
import dev.eventpipe.transformer.StubConfigBackend;
import dev.eventpipe.transformer.sandbox.ContextPool;
import dev.eventpipe.transformer.sandbox.SandboxProperties;
import dev.eventpipe.transformer.sandbox.TestEngines;
import dev.eventpipe.transformer.user.CodeStore;
import dev.eventpipe.transformer.user.ConfigBackendProperties;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/**
 * Review 1015 P3-2: without the sandbox's watchdog thread no call is timed out, stopped at its deadline or stopped
 * for memory, so {@code /health} says so (503) instead of UP; a watchdog that survived a failed pass stays UP.
 */
class HealthControllerTest {
    private static final SandboxProperties ONE_THREAD =
            SandboxProperties.defaults().withPoolSize(1);

    @Test
    void aDeadWatchdogMakesTheTransformerUnhealthy() throws InterruptedException {
        // the watchdog now ends only on an interrupt (its shutdown signal): the probe, which runs on the watchdog's
        // own thread, plays one
        AtomicReference<Thread> watchdog = new AtomicReference<>();
        DoubleSupplier interruptingProbe = () -> {
            Thread current = Thread.currentThread();
            if (watchdog.compareAndSet(null, current)) {
                current.interrupt();
            }
            return 0.1;
        };
        try (ContextPool pool = new ContextPool(TestEngines.withHeapProbe(ONE_THREAD, interruptingProbe))) {
            HealthController health = new HealthController(pool, codes());
            await().atMost(Duration.ofSeconds(30)).until(() -> watchdog.get() != null);
            watchdog.get().join();

            ResponseEntity<Map<String, Object>> answer = health.health();
            assertThat(answer.getStatusCode().value()).isEqualTo(503);
            assertThat(answer.getBody()).containsEntry("server", "DOWN").containsEntry("watchdog", "DOWN");
        }
    }

    @Test
    void aWatchdogThatSurvivedAnOutOfMemoryErrorIsReportedUp() {
        AtomicBoolean thrown = new AtomicBoolean();
        DoubleSupplier failingOnce = () -> {
            if (thrown.compareAndSet(false, true)) {
                throw new OutOfMemoryError("Java heap space (thrown by the test's heap probe)");
            }
            return 0.1;
        };
        try (ContextPool pool = new ContextPool(TestEngines.withHeapProbe(ONE_THREAD, failingOnce))) {
            HealthController health = new HealthController(pool, codes());
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            Long.valueOf(1).equals(health.health().getBody().get("watchdogFailedPasses")));

            ResponseEntity<Map<String, Object>> answer = health.health();
            assertThat(answer.getStatusCode().value()).isEqualTo(200);
            assertThat(answer.getBody()).containsEntry("server", "UP").containsEntry("watchdog", "UP");
        }
    }

    private static CodeStore codes() {
        return new CodeStore(
                new ConfigBackendProperties(
                        StubConfigBackend.INSTANCE.url(), StubConfigBackend.TOKEN, Duration.ofSeconds(10)),
                10,
                Json.mapper());
    }
}
