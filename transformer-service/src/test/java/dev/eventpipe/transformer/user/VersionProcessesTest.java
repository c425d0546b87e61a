package dev.eventpipe.transformer.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.model.json.Json;
import dev.eventpipe.transformer.StubConfigBackend;
import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.contract.TransformResponseItem;
import dev.eventpipe.transformer.sandbox.ContextPool;
import dev.eventpipe.transformer.sandbox.JsEngine;
import dev.eventpipe.transformer.sandbox.SandboxProperties;
import dev.eventpipe.transformer.sandbox.SandboxUnavailable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The processes of their own that struck versions run in: real child JVMs of this test JVM's code. At most
 * {@code max-processes} run; a child with no call ends after the idle timeout; one killed with SIGKILL answers its
 * call in flight retryably and is started again on the next call; none outlives its parent (closing ends them, and
 * a child whose stdin, the pipe from its parent, closes exits by itself, as when the parent is killed).
 */
class VersionProcessesTest {
    private static final JsonMapper JSON = Json.mapper();
    private static final StubConfigBackend BACKEND = StubConfigBackend.INSTANCE;
    private static final SandboxProperties LIMITS =
            SandboxProperties.defaults().withPoolSize(1).withStatementLimit(0).withTimeout(Duration.ofMinutes(1));
    private static final String QUICK = "export function transformEvent(e) { e.ran = true; return e; }";
    private static final String BUSY_FOR_5_S = "export function transformEvent(e) {"
            + " const end = Date.now() + 5000; while (Date.now() < end) {} return e; }";

    @Test
    void atMostMaxProcessesRunTheLeastRecentlyUsedIdleOneGivesWayAndABusyOneIsNotTakenFromItsCall() {
        try (Parent parent = new Parent(1, Duration.ofMinutes(10))) {
            parent.struck("v-cap-busy", BUSY_FOR_5_S);
            parent.struck("v-cap-other", QUICK);
            CompletableFuture<List<TransformResponseItem>> busy =
                    CompletableFuture.supplyAsync(() -> parent.transform("v-cap-busy", "b1"));
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> parent.processes.running() == 1);
            assertThatThrownBy(() -> parent.transform("v-cap-other", "o1"))
                    .isInstanceOf(SandboxUnavailable.class)
                    .hasMessageContaining("are busy; retry");
            assertThat(parent.processes.running()).isEqualTo(1);
            assertThat(busy.join())
                    .extracting(TransformResponseItem::statusCode)
                    .containsExactly(200);

            long busyPid = parent.processes.pid("v-cap-busy").orElseThrow();
            assertThat(parent.transform("v-cap-other", "o2"))
                    .extracting(TransformResponseItem::statusCode)
                    .containsExactly(200);
            assertThat(parent.processes.running()).isEqualTo(1);
            assertThat(parent.processes.pid("v-cap-busy")).isEmpty();
            awaitGone(busyPid);
        }
    }

    @Test
    void aChildWithNoCallForTheIdleTimeoutEnds() {
        try (Parent parent = new Parent(2, Duration.ofSeconds(1))) {
            parent.struck("v-idle", QUICK);
            assertThat(parent.transform("v-idle", "i1"))
                    .extracting(TransformResponseItem::statusCode)
                    .containsExactly(200);
            long pid = parent.processes.pid("v-idle").orElseThrow();
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> parent.processes.running() == 0);
            awaitGone(pid);
        }
    }

    @Test
    void aKilledChildAnswersItsCallRetryableAndIsStartedAgainOnTheNextCall() {
        try (Parent parent = new Parent(2, Duration.ofMinutes(10))) {
            parent.struck(
                    "v-killed",
                    "export function transformEvent(e) { if (e.messageId === 'long') {"
                            + " const end = Date.now() + 60000; while (Date.now() < end) {} } e.ran = true; return e; }");
            assertThat(parent.transform("v-killed", "k1"))
                    .extracting(TransformResponseItem::statusCode)
                    .containsExactly(200);
            long first = parent.processes.pid("v-killed").orElseThrow();

            CompletableFuture<List<TransformResponseItem>> inFlight =
                    CompletableFuture.supplyAsync(() -> parent.transform("v-killed", "long"));
            Awaitility.await()
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> parent.processes.callsInFlight("v-killed") == 1);
            ProcessHandle.of(first).orElseThrow().destroyForcibly(); // kill -9
            assertThatThrownBy(inFlight::join)
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(SandboxUnavailable.class);
            awaitGone(first);

            assertThat(parent.transform("v-killed", "k2"))
                    .extracting(TransformResponseItem::statusCode)
                    .containsExactly(200);
            assertThat(parent.processes.pid("v-killed").orElseThrow()).isNotEqualTo(first);
        }
    }

    @Test
    void noChildOutlivesItsParent() {
        long orphan;
        long child;
        try (Parent parent = new Parent(2, Duration.ofMinutes(10))) {
            parent.struck("v-orphan", QUICK);
            parent.struck("v-child", QUICK);
            parent.transform("v-orphan", "o1");
            parent.transform("v-child", "c1");
            orphan = parent.processes.pid("v-orphan").orElseThrow();
            child = parent.processes.pid("v-child").orElseThrow();
            // what the kernel does when the parent dies, however it dies: the child's stdin closes
            parent.processes.orphan("v-orphan");
            awaitGone(orphan);
        }
        awaitGone(child); // closing the parent (the service stopping) ends its children
    }

    private static void awaitGone(long pid) {
        Awaitility.await("process " + pid + " gone")
                .atMost(Duration.ofMinutes(1))
                .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    /** A shared transformer in this JVM whose struck versions run in child JVMs. */
    private static final class Parent implements AutoCloseable {
        final ContextPool pool = new ContextPool(new JsEngine(LIMITS));
        final VersionProcesses processes;
        final UserTransformer user;

        Parent(int maxProcesses, Duration idleTimeout) {
            ConfigBackendProperties backend =
                    new ConfigBackendProperties(BACKEND.url(), StubConfigBackend.TOKEN, Duration.ofSeconds(10));
            processes = VersionProcesses.of(
                    IsolationProperties.defaults().withMaxProcesses(maxProcesses, idleTimeout),
                    LIMITS,
                    backend,
                    DataSize.ofMegabytes(200),
                    JSON,
                    new SimpleMeterRegistry());
            user = new UserTransformer(
                    pool, new CodeStore(backend, 10, JSON), JSON, new SimpleMeterRegistry(), processes);
        }

        void struck(String version, String code) {
            BACKEND.put(version, code);
            user.strikes().strike(version);
        }

        List<TransformResponseItem> transform(String version, String messageId) {
            ObjectNode metadata = JSON.createObjectNode()
                    .put("messageId", messageId)
                    .put("sourceId", "s")
                    .put("destinationId", "d-" + version);
            return user.transform(
                    List.of(new TransformRequestItem(
                            JSON.createObjectNode().put("messageId", messageId).put("type", "track"),
                            metadata,
                            JSON.readTree("{\"Transformations\":[{\"VersionID\":\"" + version + "\"}]}"),
                            null,
                            null)),
                    true);
        }

        @Override
        public void close() {
            user.close();
            processes.close();
            pool.close();
        }
    }
}
