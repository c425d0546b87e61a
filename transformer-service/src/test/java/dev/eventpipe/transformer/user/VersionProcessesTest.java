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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The processes of their own that struck versions run in: real child JVMs of this test JVM's code. At most
 * {@code max-processes} run; a call that finds every one busy waits its turn (a busy child hands its slot over after
 * its call), so two versions kept busy cannot keep a third out; a version's calls go to its child one at a time and
 * in parts of at most {@code max-call-bytes}; a struck version returns to the shared transformer after its
 * probation; a child gets a scrubbed environment and only the JVM flags it needs; a child with no call ends after
 * the idle timeout; one killed with SIGKILL answers its call in flight retryably and is started again on the next
 * call; none outlives its parent (closing ends them, and a child whose stdin, the pipe from its parent, closes exits
 * by itself, as when the parent is killed). A version whose process cannot serve it (cannot start, answers 500) has
 * its events failed on the third failure in a row, not 503 for ever; the child gets what is left of the parent's
 * deadline; an evicted child keeps its slot until it has exited ({@link FakeChild} stands for a child that cannot
 * serve).
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
    void atMostMaxProcessesRunACallFindingEverySlotBusyWaitsItsTurnAndTheLeastRecentlyUsedIdleOneGivesWay() {
        try (Parent parent = new Parent(1, Duration.ofMinutes(10))) {
            parent.struck("v-cap-busy", BUSY_FOR_5_S);
            parent.struck("v-cap-other", QUICK);
            CompletableFuture<List<TransformResponseItem>> busy =
                    CompletableFuture.supplyAsync(() -> parent.transform("v-cap-busy", "b1"));
            Awaitility.await()
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> parent.processes.callsInFlight("v-cap-busy") == 1);
            long busyPid = parent.processes.pid("v-cap-busy").orElseThrow();
            // every slot busy: the call waits for the busy child's call to end, then takes its slot (not a 503)
            assertThat(parent.transform("v-cap-other", "o1"))
                    .extracting(TransformResponseItem::statusCode)
                    .containsExactly(200);
            assertThat(busy.join())
                    .extracting(TransformResponseItem::statusCode)
                    .containsExactly(200);
            assertThat(parent.processes.running()).isEqualTo(1);
            assertThat(parent.processes.pid("v-cap-busy")).isEmpty();
            awaitGone(busyPid);

            long otherPid = parent.processes.pid("v-cap-other").orElseThrow();
            assertThat(parent.transform("v-cap-busy", "b2"))
                    .extracting(TransformResponseItem::statusCode)
                    .containsExactly(200);
            assertThat(parent.processes.running()).isEqualTo(1);
            assertThat(parent.processes.pid("v-cap-other")).isEmpty();
            awaitGone(otherPid);
        }
    }

    /**
     * review-solo P1-3: a tenant keeps both processes busy (two struck versions, a call in flight in each and another
     * waiting for it at all times, review 1620 P1-b); a third struck version's request is still answered, not 503 (which would make the processor retry
     * every batch it shares with other tenants).
     */
    @Test
    void twoStruckVersionsKeptBusyCannotKeepAThirdOut() throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> hogs = new ArrayList<>();
        try (Parent parent = new Parent(2, Duration.ofMinutes(10))) {
            parent.struck("v-hog-1", BUSY_FOR_5_S);
            parent.struck("v-hog-2", BUSY_FOR_5_S);
            parent.struck("v-third", QUICK);
            // two callers per hog: each hog also has a call waiting for its own process at all times
            for (String hog : List.of("v-hog-1", "v-hog-1", "v-hog-2", "v-hog-2")) {
                hogs.add(Thread.ofVirtual().start(() -> {
                    while (!stop.get()) {
                        try {
                            parent.transform(hog, "h");
                        } catch (RuntimeException retried) {
                            // a 503: the processor would send it again at once
                        }
                    }
                }));
            }
            Awaitility.await()
                    .atMost(Duration.ofMinutes(2))
                    .until(() -> parent.processes.callsInFlight("v-hog-1") == 1
                            && parent.processes.callsInFlight("v-hog-2") == 1);
            assertThat(parent.transform("v-third", "t1"))
                    .extracting(TransformResponseItem::statusCode)
                    .containsExactly(200);
            assertThat(parent.processes.running()).isLessThanOrEqualTo(2);
            stop.set(true);
        } finally {
            stop.set(true);
        }
        for (Thread hog : hogs) {
            hog.join();
        }
    }

    /**
     * review 1620 P1-a: a struck version's call that waited for a slot behind another version's call and then ran out
     * of time (here its process never gets ready) is answered 503, not counted: three such calls in a row never fail
     * its events (another tenant's busy process used the time up, not its own).
     */
    @Test
    void aCallThatRanOutOfTimeAfterWaitingBehindAnotherVersionIsNeverCountedAgainstItsVersion() {
        try (Parent parent = new Parent(1, Duration.ofMinutes(10), fakeChild(false))) {
            parent.struck("slow-hog", QUICK);
            parent.struck("never-ready-victim", QUICK);
            for (int i = 1; i <= VersionProcesses.FAILURES_TO_FAIL; i++) {
                CompletableFuture<Throwable> hog = CompletableFuture.supplyAsync(() -> {
                    try {
                        parent.processes.transform(
                                "slow-hog",
                                parent.items("slow-hog"),
                                true,
                                System.nanoTime() + Duration.ofMinutes(2).toNanos());
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                });
                Awaitility.await()
                        .atMost(Duration.ofMinutes(1))
                        .until(() -> parent.processes.callsInFlight("slow-hog") == 1);
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                assertThatThrownBy(() -> parent.processes.transform(
                                "never-ready-victim", parent.items("never-ready-victim"), true, deadline))
                        .as("call %d of the victim", i)
                        .isInstanceOf(SandboxUnavailable.class);
                hog.join();
            }
        }
    }

    /**
     * review 1620 P1-a: a struck version's call that waited for a slot behind another version's busy process gets
     * there with little of its deadline left, and its own process answers 503 (a real child's "the request ran past
     * its deadline; retry"). That is the wait's doing, not the process's: 503, not counted, so three such calls in a
     * row never fail its events.
     */
    @Test
    void aCallWhoseProcessAnswers503AfterItWaitedBehindAnotherVersionIsNeverCountedAgainstItsVersion() {
        try (Parent parent = new Parent(1, Duration.ofMinutes(10), fakeChild(false))) {
            parent.struck("slow-hog-503", QUICK);
            parent.struck("retry-victim", QUICK);
            for (int i = 1; i <= VersionProcesses.FAILURES_TO_FAIL; i++) {
                CompletableFuture<Throwable> hog = CompletableFuture.supplyAsync(() -> {
                    try {
                        parent.processes.transform(
                                "slow-hog-503",
                                parent.items("slow-hog-503"),
                                true,
                                System.nanoTime() + Duration.ofMinutes(2).toNanos());
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                });
                Awaitility.await()
                        .atMost(Duration.ofMinutes(1))
                        .until(() -> parent.processes.callsInFlight("slow-hog-503") == 1);
                long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                assertThatThrownBy(() -> parent.processes.transform(
                                "retry-victim", parent.items("retry-victim"), true, deadline))
                        .as("call %d of the victim", i)
                        .isInstanceOf(SandboxUnavailable.class)
                        .hasMessageContaining("waited for a transformer process behind other transformations");
                hog.join();
            }
        }
    }

    @Test
    void aVersionsCallsGoToItsProcessOneAtATime() {
        try (Parent parent = new Parent(2, Duration.ofMinutes(10))) {
            parent.struck("v-one-at-a-time", BUSY_FOR_5_S);
            CompletableFuture<List<TransformResponseItem>> first =
                    CompletableFuture.supplyAsync(() -> parent.transform("v-one-at-a-time", "a1"));
            CompletableFuture<List<TransformResponseItem>> second =
                    CompletableFuture.supplyAsync(() -> parent.transform("v-one-at-a-time", "a2"));
            // one in flight in the child, the other waiting in the parent (its body not in the child's small heap)
            Awaitility.await()
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> parent.processes.callsInFlight("v-one-at-a-time") == 1
                            && parent.processes.waitingCalls() == 1);
            assertThat(first.join())
                    .extracting(TransformResponseItem::statusCode)
                    .containsExactly(200);
            assertThat(second.join())
                    .extracting(TransformResponseItem::statusCode)
                    .containsExactly(200);
        }
    }

    @Test
    void aVersionsEventsGoToItsProcessInCallsOfAtMostMaxCallBytes() {
        IsolationProperties settings =
                IsolationProperties.defaults().withCallLimits(1, DataSize.ofBytes(1)); // every event alone
        try (Parent parent = new Parent(settings, ChildCommand.ofThisJvm())) {
            parent.struck("v-split", QUICK);
            List<TransformResponseItem> answers = parent.user.transform(
                    List.of(Parent.item("v-split", "s1"), Parent.item("v-split", "s2"), Parent.item("v-split", "s3")),
                    true);
            assertThat(answers).extracting(TransformResponseItem::statusCode).containsExactly(200, 200, 200);
            assertThat(answers)
                    .extracting(answer -> answer.metadata().path("messageId").asString())
                    .containsExactly("s1", "s2", "s3");
            assertThat(parent.metrics.counter("transformer.isolation.calls").count())
                    .isEqualTo(3.0);
        }
    }

    @Test
    void aStruckVersionReturnsToTheSharedTransformerOnceItsProbationIsOver() {
        IsolationProperties settings = new IsolationProperties(
                2,
                DataSize.ofMegabytes(192),
                Duration.ofMinutes(10),
                Duration.ofSeconds(120),
                1,
                DataSize.ofMegabytes(16),
                Duration.ofNanos(1), // over as soon as it starts
                "",
                "");
        try (Parent parent = new Parent(settings, ChildCommand.ofThisJvm())) {
            parent.struck("v-back", QUICK);
            assertThat(parent.transform("v-back", "r1"))
                    .extracting(TransformResponseItem::statusCode)
                    .containsExactly(200);
            assertThat(parent.processes.pid("v-back"))
                    .as("no process of its own")
                    .isEmpty();
            assertThat(parent.metrics.counter("transformer.isolation.calls").count())
                    .isZero();
        }
    }

    /**
     * review-solo P2-3: a parent started with heap-dump, exit-on-OOM and heap-size flags, and with {@code
     * JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} and {@code _JAVA_OPTIONS} (and a secret) in its environment:
     * its child gets none of them, only the flags it needs and its own heap.
     */
    @Test
    void aChildStartsWithAScrubbedEnvironmentAndOnlyTheJvmFlagsItNeeds() {
        Map<String, String> parentEnvironment = new HashMap<>(System.getenv());
        parentEnvironment.put("JAVA_TOOL_OPTIONS", "-Dfake.tool=leak -XX:+HeapDumpOnOutOfMemoryError");
        parentEnvironment.put("JDK_JAVA_OPTIONS", "-Dfake.jdk=leak");
        parentEnvironment.put("_JAVA_OPTIONS", "-Dfake.underscore=leak");
        parentEnvironment.put("PARENTS_OWN_SECRET", "not for children");
        ChildCommand command = ChildCommand.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                List.of(
                        "-Xmx1g",
                        "-XX:MaxRAMPercentage=40",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-XX:+HeapDumpOnOutOfMemoryError",
                        "-XX:HeapDumpPath=/tmp",
                        "-Dfake.flag=leak",
                        "--enable-native-access=ALL-UNNAMED"),
                List.of("-cp", System.getProperty("java.class.path"), FakeChild.class.getName()),
                parentEnvironment);
        try (Parent parent = new Parent(IsolationProperties.defaults(), command)) {
            parent.struck("v-scrubbed", QUICK);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            assertThatThrownBy(
                            () -> parent.processes.transform("v-scrubbed", parent.items("v-scrubbed"), true, deadline))
                    .isInstanceOf(SandboxUnavailable.class)
                    .hasMessageContaining("it answered 500")
                    .satisfies(e -> assertThat(e.getMessage())
                            .contains("--enable-native-access=ALL-UNNAMED", "-Xmx192m", "properties []")
                            .contains("SERVICE_TOKEN")
                            .doesNotContain(
                                    "HeapDump",
                                    "ExitOnOutOfMemoryError",
                                    "MaxRAMPercentage",
                                    "-Xmx1g",
                                    "leak",
                                    "JAVA_TOOL_OPTIONS",
                                    "JDK_JAVA_OPTIONS",
                                    "_JAVA_OPTIONS",
                                    "PARENTS_OWN_SECRET"));
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
    void aKilledChildAnswersItsCallRetryableLeavesNoTempDirAndIsStartedAgainOnTheNextCall() {
        try (Parent parent = new Parent(2, Duration.ofMinutes(10))) {
            parent.struck(
                    "v-killed",
                    "export function transformEvent(e) { if (e.messageId === 'long') {"
                            + " const end = Date.now() + 60000; while (Date.now() < end) {} } e.ran = true; return e; }");
            assertThat(parent.transform("v-killed", "k1"))
                    .extracting(TransformResponseItem::statusCode)
                    .containsExactly(200);
            long first = parent.processes.pid("v-killed").orElseThrow();
            Path firstDirectory = parent.processes.directory("v-killed").orElseThrow();
            assertThat(firstDirectory).isDirectory();

            CompletableFuture<List<TransformResponseItem>> inFlight =
                    CompletableFuture.supplyAsync(() -> parent.transform("v-killed", "long"));
            Awaitility.await()
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> parent.processes.callsInFlight("v-killed") == 1);
            ProcessHandle.of(first).orElseThrow().destroyForcibly(); // kill -9
            assertThatThrownBy(inFlight::join)
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(SandboxUnavailable.class)
                    .hasMessageContaining("killed with SIGKILL, exit 137");
            awaitGone(first);
            // review 1620 P3: the dead child went through stop(): its temp dir and port file are gone
            Awaitility.await("the killed child's temp dir removed")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> !java.nio.file.Files.exists(firstDirectory));

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

    @Test
    void aChildThatCannotStartFailsItsVersionsEventsOnTheThirdFailureInARowAndTheRestOfTheRequestGoesOn() {
        ChildCommand missing = new ChildCommand("/nonexistent/bin/java", List.of(), List.of());
        try (Parent parent = new Parent(2, Duration.ofMinutes(10), missing)) {
            parent.struck("v-nostart", QUICK);
            BACKEND.put("v-fine", QUICK);
            for (int i = 1; i < VersionProcesses.FAILURES_TO_FAIL; i++) {
                assertThatThrownBy(() -> parent.transform(List.of("v-nostart", "v-fine")))
                        .isInstanceOf(SandboxUnavailable.class)
                        .hasMessageContaining("could not be started");
            }
            List<TransformResponseItem> third = parent.transform(List.of("v-nostart", "v-fine"));
            assertThat(third.get(0).statusCode()).isEqualTo(TransformResponseItem.FAILED);
            assertThat(third.get(0).error())
                    .contains("own process could not serve it: it could not be started")
                    .contains("3 times in a row");
            assertThat(third.get(1).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aChildAnswering500FailsItsVersionsEventsOnTheThirdAnswerInARowAndTheRestOfTheRequestGoesOn() {
        try (Parent parent = new Parent(2, Duration.ofMinutes(10), fakeChild(false))) {
            parent.struck("v-500", QUICK);
            BACKEND.put("v-fine-500", QUICK);
            for (int i = 1; i < VersionProcesses.FAILURES_TO_FAIL; i++) {
                assertThatThrownBy(() -> parent.transform(List.of("v-500", "v-fine-500")))
                        .isInstanceOf(SandboxUnavailable.class)
                        .hasMessageContaining("500");
            }
            List<TransformResponseItem> third = parent.transform(List.of("v-500", "v-fine-500"));
            assertThat(third.get(0).statusCode()).isEqualTo(TransformResponseItem.FAILED);
            assertThat(third.get(0).error())
                    .contains("own process could not serve it: it answered 500")
                    .doesNotContain("retry,")
                    .contains("3 times in a row");
            assertThat(third.get(1).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theChildsDeadlineIsWhatIsLeftOfTheParentRequest() {
        try (Parent parent = new Parent(2, Duration.ofMinutes(10), fakeChild(false))) {
            parent.struck("v-deadline", QUICK);
            long deadline = System.nanoTime() + Duration.ofSeconds(100).toNanos();
            assertThatThrownBy(
                            () -> parent.processes.transform("v-deadline", parent.items("v-deadline"), true, deadline))
                    .isInstanceOf(SandboxUnavailable.class)
                    .hasMessageMatching("(?s).*deadline header \\d+\\).*")
                    .satisfies(e -> {
                        long passed =
                                Long.parseLong(e.getMessage().replaceAll("(?s).*deadline header (\\d+)\\).*", "$1"));
                        assertThat(passed).isBetween(1L, 100_000L); // not the sandbox's 300 s
                    });
        }
    }

    @Test
    void anEvictedChildHoldsItsSlotUntilItHasExited() {
        try (Parent parent = new Parent(1, Duration.ofMinutes(10), fakeChild(true))) {
            parent.struck("v-evicted", QUICK);
            parent.struck("v-next", QUICK);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            assertThatThrownBy(() -> parent.processes.transform("v-evicted", parent.items("v-evicted"), true, deadline))
                    .isInstanceOf(SandboxUnavailable.class);
            long evicted = parent.processes.pid("v-evicted").orElseThrow();
            // the evicted child ignores SIGTERM: its slot frees only once the parent's SIGKILL ended it
            assertThatThrownBy(() -> parent.processes.transform("v-next", parent.items("v-next"), true, deadline))
                    .isInstanceOf(SandboxUnavailable.class);
            assertThat(parent.processes.pid("v-next")).isPresent();
            assertThat(ProcessHandle.of(evicted).map(ProcessHandle::isAlive).orElse(false))
                    .as("the evicted child is gone before the next one is started")
                    .isFalse();
            assertThat(parent.processes.running()).isEqualTo(1);
        }
    }

    /** A real child JVM that answers every call 500 ({@link FakeChild}); {@code slowExit}: it ignores SIGTERM. */
    private static ChildCommand fakeChild(boolean slowExit) {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ChildCommand(
                javaBin,
                List.of("-Dfake.slow-exit=" + slowExit),
                List.of("-cp", System.getProperty("java.class.path"), FakeChild.class.getName()));
    }

    private static void awaitGone(long pid) {
        Awaitility.await("process " + pid + " gone")
                .atMost(Duration.ofMinutes(1))
                .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    /** A shared transformer in this JVM whose struck versions run in child JVMs. */
    private static final class Parent implements AutoCloseable {
        final ContextPool pool = new ContextPool(new JsEngine(LIMITS));
        final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        final VersionProcesses processes;
        final UserTransformer user;

        Parent(int maxProcesses, Duration idleTimeout) {
            this(maxProcesses, idleTimeout, ChildCommand.ofThisJvm());
        }

        Parent(int maxProcesses, Duration idleTimeout, ChildCommand command) {
            this(IsolationProperties.defaults().withMaxProcesses(maxProcesses, idleTimeout), command);
        }

        Parent(IsolationProperties settings, ChildCommand command) {
            ConfigBackendProperties backend =
                    new ConfigBackendProperties(BACKEND.url(), StubConfigBackend.TOKEN, Duration.ofSeconds(10));
            ChildSettings child = ChildSettings.of(LIMITS, backend, DataSize.ofMegabytes(200));
            processes = new VersionProcesses(
                    settings, command, child.properties(), child.environment(), child.authorization(), JSON, metrics);
            user = new UserTransformer(
                    pool, new CodeStore(backend, 10, JSON), JSON, new SimpleMeterRegistry(), processes);
        }

        void struck(String version, String code) {
            BACKEND.put(version, code);
            user.strikes().strike(version);
        }

        List<TransformResponseItem> transform(String version, String messageId) {
            return user.transform(List.of(item(version, messageId)), true);
        }

        /** One event of each version, in this order. */
        List<TransformResponseItem> transform(List<String> versions) {
            return user.transform(versions.stream().map(v -> item(v, "m-" + v)).toList(), true);
        }

        List<TransformRequestItem> items(String version) {
            return List.of(item(version, "m-" + version));
        }

        static TransformRequestItem item(String version, String messageId) {
            ObjectNode metadata = JSON.createObjectNode()
                    .put("messageId", messageId)
                    .put("sourceId", "s")
                    .put("destinationId", "d-" + version);
            return new TransformRequestItem(
                    JSON.createObjectNode().put("messageId", messageId).put("type", "track"),
                    metadata,
                    JSON.readTree("{\"Transformations\":[{\"VersionID\":\"" + version + "\"}]}"),
                    null,
                    null);
        }

        @Override
        public void close() {
            user.close();
            processes.close();
            pool.close();
        }
    }
}
