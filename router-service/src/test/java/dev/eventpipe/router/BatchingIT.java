package dev.eventpipe.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.ScriptedSink.Received;
import dev.eventpipe.router.support.ScriptedSink.Reply;
import dev.eventpipe.router.support.StubBatchTransformer;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Batching over real HTTP: a destination with {@code enableBatching} gets the jobs of many users in one request,
 * combined by a transformer's {@code /batch}, and the per-user rules hold when a request fails, when the
 * transformer is down, and when its plan would break the order. One worker per destination, so every job of a
 * case lands in one gathered batch.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BatchingIT {
    private static final Logger log = LoggerFactory.getLogger(BatchingIT.class);
    static final ScriptedSink sink = start(ScriptedSink::new);
    static final StubBatchTransformer transformer = start(StubBatchTransformer::new);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws IOException {
        registerBatchingRouter(r, transformer);
        r.add("router.max-status-update-wait", () -> "20ms");
        r.add("router.defaults.min-backoff", () -> "100ms");
        r.add("router.defaults.max-backoff", () -> "400ms");
        r.add("router.defaults.workers", () -> "1");
        r.add("router.defaults.batch-timeout", () -> "300ms");
    }

    /** The database, a workspace with d-batch and d-plain, the stub transformer, quick pickups. */
    static void registerBatchingRouter(DynamicPropertyRegistry r, StubBatchTransformer transformer) throws IOException {
        TestPostgres.register(r);
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.batchingWorkspaceConfig());
        r.add("workspace-config.path", config::toString);
        r.add("router.transformer.url", transformer::url);
        r.add("router.poll-interval", () -> "50ms");
    }

    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    DataSource dataSource;

    RtStatuses statuses;

    @BeforeEach
    void setUp() {
        statuses = new RtStatuses(dataSource);
        transformer.chunkSize(1000);
        transformer.down(false);
        transformer.reversed(false);
    }

    @AfterAll
    static void close() {
        sink.close();
        transformer.close();
    }

    @Test
    void jobsOfManyUsersGoOutInFewRequestsEachUserInOrder() {
        List<NewJob> jobs = new ArrayList<>();
        for (int u = 0; u < 5; u++)
            for (int seq = 1; seq <= 4; seq++) jobs.add(job("/together", "u-t" + u, "m-t" + u + "-" + seq, seq));
        jobs.add(TestJobs.job("WEBHOOK", "d-plain", sink.url("/plain"), "u-t0", "m-plain", 1));
        List<Long> ids = store(jobs);

        awaitAll(ids, "succeeded");
        List<ScriptedSink.Request> requests = sink.requests("/together");
        assertThat(requests).allSatisfy(r -> assertThat(r.array()).isTrue());
        assertThat(requests.stream().mapToInt(ScriptedSink.Request::events).sum())
                .isEqualTo(20);
        assertThat(requests.size()).isLessThan(20);
        Map<Integer, Long> usersPerRequest = received("/together").stream()
                .collect(Collectors.groupingBy(
                        Received::request, Collectors.mapping(Received::userId, Collectors.counting())));
        assertThat(usersPerRequest.values()).anySatisfy(n -> assertThat(n).isGreaterThan(1));
        for (int u = 0; u < 5; u++) assertThat(seqsOf("/together", "u-t" + u)).containsExactly(1, 2, 3, 4);
        for (long id : ids) assertThat(statuses.states(id)).containsExactly("executing:1", "succeeded:1");
        // the destination without enableBatching still gets one event per request
        assertThat(sink.requests("/plain"))
                .singleElement()
                .satisfies(r -> assertThat(r.array()).isFalse());
    }

    @Test
    void aFailedRequestFailsTheFirstJobOfEachUserAndHoldsTheirLaterOnes() {
        sink.scriptPath("/fail", Reply.of(500));
        List<Long> ids = store(List.of(
                job("/fail", "u-f1", "m-f1-1", 1),
                job("/fail", "u-f1", "m-f1-2", 2),
                job("/fail", "u-f2", "m-f2-1", 1)));
        long a1 = ids.get(0), a2 = ids.get(1), b1 = ids.get(2);

        awaitAll(ids, "succeeded");
        assertThat(statuses.states(a1)).containsExactly("executing:1", "failed:1", "executing:2", "succeeded:2");
        assertThat(statuses.states(b1)).containsExactly("executing:1", "failed:1", "executing:2", "succeeded:2");
        assertThat(statuses.states(a2)).startsWith("executing:1", "waiting:0").endsWith("succeeded:1");
        RtStatuses.Row held = statuses.of(a2).get(1);
        assertThat(held.code()).isEqualTo("500");
        JsonNode response = Json.mapper().readTree(held.response());
        assertThat(response.path("blocking_id").asLong()).isEqualTo(a1);
        assertThat(response.path("moreinfo").asString()).isEqualTo("attempted to send in a batch");
        assertThat(sink.requests("/fail").getFirst().events()).isEqualTo(3);
        assertThat(deliveredSeqsOf("/fail", "u-f1")).containsExactly(1, 2);
    }

    @Test
    void aRejectedRequestAbortsEveryJobInIt() {
        sink.scriptPath("/reject", Reply.of(400));
        List<Long> ids = store(List.of(job("/reject", "u-r1", "m-r1", 1), job("/reject", "u-r2", "m-r2", 1)));

        awaitAll(ids, "aborted");
        for (long id : ids) {
            assertThat(statuses.states(id)).containsExactly("executing:1", "aborted:1");
            assertThat(statuses.of(id).getLast().code()).isEqualTo("400");
        }
        assertThat(sink.requests("/reject")).hasSize(1);
    }

    @Test
    void afterAFailedRequestTheRestIsCombinedAgainWithoutTheBlockedUsers() {
        transformer.chunkSize(2);
        sink.scriptPath("/replan", Reply.of(500));
        List<Long> ids = store(List.of(
                job("/replan", "u-p1", "m-p1-1", 1),
                job("/replan", "u-p2", "m-p2-1", 1),
                job("/replan", "u-p1", "m-p1-2", 2),
                job("/replan", "u-p3", "m-p3-1", 1)));
        long p1Second = ids.get(2), p3 = ids.get(3);

        awaitAll(ids, "succeeded");
        // u-p3 shared a planned request with u-p1's held job, yet went out at once, on its own
        assertThat(statuses.states(p3)).containsExactly("executing:1", "succeeded:1");
        assertThat(transformer.calls()).contains(List.of(p3));
        assertThat(statuses.states(p1Second))
                .startsWith("executing:1", "waiting:0")
                .endsWith("succeeded:1");
        assertThat(Json.mapper()
                        .readTree(statuses.of(p1Second).get(1).response())
                        .has("moreinfo"))
                .isFalse();
        int firstDeliveredOfP1 = sink.receivedFor("m-p1-1").stream()
                .filter(r -> r.status() == 200)
                .findFirst()
                .orElseThrow()
                .request();
        assertThat(sink.receivedFor("m-p1-2"))
                .allSatisfy(r -> assertThat(r.request()).isGreaterThanOrEqualTo(firstDeliveredOfP1));
        assertThat(deliveredSeqsOf("/replan", "u-p1")).containsExactly(1, 2);
    }

    @Test
    void whileTheTransformerIsDownJobsWaitWithoutAnAttemptAndNoneIsLost() {
        transformer.down(true);
        List<Long> ids = store(List.of(
                job("/down", "u-d1", "m-d1-1", 1),
                job("/down", "u-d1", "m-d1-2", 2),
                job("/down", "u-d2", "m-d2-1", 1)));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> statuses.states(ids.getFirst()).contains("failed:0"));
        RtStatuses.Row failed = statuses.of(ids.getFirst()).get(1);
        assertThat(Json.mapper().readTree(failed.response()).path("reason").asString())
                .contains("transformer answered 503");
        assertThat(sink.requests("/down")).isEmpty();

        transformer.down(false);
        awaitAll(ids, "succeeded");
        for (String messageId : List.of("m-d1-1", "m-d1-2", "m-d2-1"))
            assertThat(sink.receivedFor(messageId)).hasSize(1);
        assertThat(deliveredSeqsOf("/down", "u-d1")).containsExactly(1, 2);
    }

    @Test
    void aPlanThatWouldBreakAUsersOrderIsNotSent() {
        transformer.reversed(true);
        transformer.chunkSize(1);
        List<Long> ids = store(List.of(job("/reversed", "u-o1", "m-o1-1", 1), job("/reversed", "u-o1", "m-o1-2", 2)));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> statuses.states(ids.getFirst()).contains("failed:0"));
        assertThat(Json.mapper()
                        .readTree(statuses.of(ids.getFirst()).get(1).response())
                        .path("reason")
                        .asString())
                .contains("would go out after its user's later job");
        // no request carried the reversed plan; the retry 100 ms later may already have sent job 1 alone (in order)
        assertThat(sink.received().stream()
                        .filter(r -> r.path().equals("/reversed"))
                        .map(ScriptedSink.Received::seq)
                        .toList())
                .isIn(List.of(), List.of(1), List.of(1, 2));

        transformer.reversed(false);
        awaitAll(ids, "succeeded");
        assertThat(deliveredSeqsOf("/reversed", "u-o1")).containsExactly(1, 2);
    }

    @Test
    void underVolumeWithEverySeventhRequestFailingEveryUserKeepsItsOrder() {
        sink.failEveryNth("/volume", 7);
        List<NewJob> jobs = new ArrayList<>();
        for (int seq = 1; seq <= 20; seq++)
            for (int u = 0; u < 100; u++) jobs.add(job("/volume", "u-v" + u, "m-v" + u + "-" + seq, seq));
        Instant start = Instant.now();
        List<Long> ids = store(jobs);

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> statuses.countLatest(ids, "succeeded") == ids.size());
        Duration took = Duration.between(start, Instant.now());
        List<Integer> expected = IntStream.rangeClosed(1, 20).boxed().toList();
        for (int u = 0; u < 100; u++)
            assertThat(deliveredSeqsOf("/volume", "u-v" + u)).as("u-v" + u).isEqualTo(expected);
        List<ScriptedSink.Request> requests = sink.requests("/volume");
        assertThat(requests).anySatisfy(r -> assertThat(r.status()).isEqualTo(503));
        log.atInfo()
                .setMessage("{} jobs of 100 users delivered in order in {} ms ({} jobs/s) in {} requests ({} failed)")
                .addArgument(ids.size())
                .addArgument(took.toMillis())
                .addArgument(ids.size() * 1000L / Math.max(1, took.toMillis()))
                .addArgument(requests.size())
                .addArgument(requests.stream().filter(r -> r.status() != 200).count())
                .log();
    }

    private NewJob job(String path, String user, String messageId, int seq) {
        return TestJobs.job("WEBHOOK", "d-batch", sink.url(path), user, messageId, seq);
    }

    private List<Long> store(List<NewJob> jobs) {
        return jobsDbs.queue(Queue.RT).store(jobs);
    }

    private void awaitAll(List<Long> ids, String state) {
        await().atMost(Duration.ofSeconds(30)).until(() -> statuses.countLatest(ids, state) == ids.size());
    }

    private static List<Received> received(String path) {
        return sink.received().stream().filter(r -> r.path().equals(path)).toList();
    }

    private static List<Integer> seqsOf(String path, String user) {
        return received(path).stream()
                .filter(r -> r.userId().equals(user))
                .sorted(Comparator.comparingInt(Received::request))
                .map(Received::seq)
                .toList();
    }

    /** The order in which a user's events were first delivered (answered 2xx). */
    private static List<Integer> deliveredSeqsOf(String path, String user) {
        return received(path).stream()
                .filter(r -> r.userId().equals(user) && r.status() / 100 == 2)
                .sorted(Comparator.comparingInt(Received::request))
                .map(Received::seq)
                .distinct()
                .toList();
    }

    interface Starter<T> {
        T start() throws IOException;
    }

    static <T> T start(Starter<T> starter) {
        try {
            return starter.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
