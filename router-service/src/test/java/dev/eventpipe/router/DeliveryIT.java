package dev.eventpipe.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.router.support.Api;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.ScriptedSink.Reply;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import dev.eventpipe.testkit.UnauthenticatedRoutes;
import dev.eventpipe.testkit.WorkspacelessRoutes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Delivery outcomes, ordering, drain and the failed-events API, over real HTTP against a scripted sink. Over 300
 * lines because the cases share one running router (one context start instead of ten); each case keys its events
 * by its own message ids and users, so they do not see each other.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeliveryIT {
    static final ScriptedSink sink = newSink();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws IOException {
        TestPostgres.register(r);
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {"d-off"}));
        r.add("workspace-config.path", config::toString);
        r.add("router.poll-interval", () -> "50ms");
        r.add("router.max-status-update-wait", () -> "20ms");
        r.add("router.defaults.min-backoff", () -> "100ms");
        r.add("router.defaults.max-backoff", () -> "400ms");
        r.add("router.defaults.http-timeout", () -> "5s");
        r.add("router.overrides.SLOW.http-timeout", () -> "300ms");
        // a deleted destination's jobs are drained at once here; the grace itself is DrainTest's
        r.add("router.missing-destination-grace", () -> "0s");
    }

    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    DataSource dataSource;

    @LocalServerPort
    int port;

    RtStatuses statuses;
    Api api;

    @BeforeEach
    void setUp() {
        statuses = new RtStatuses(dataSource);
        api = new Api(port);
    }

    @AfterAll
    static void closeSink() {
        sink.close();
    }

    static ScriptedSink newSink() {
        try {
            return new ScriptedSink();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    long store(NewJob job) {
        return jobsDbs.queue(Queue.RT).store(List.of(job)).getFirst();
    }

    long hook(String user, String messageId, int seq) {
        return store(TestJobs.job("WEBHOOK", "d-hook", sink.url("/hook"), user, messageId, seq));
    }

    void awaitState(long jobId, String state) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> statuses.latest(jobId).equals(state));
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyRouteButHealthRefusesCallersWithoutTheServiceToken() {
        assertThat(UnauthenticatedRoutes.check(mappings, port))
                .contains("GET /api/v1/failed-events", "POST /api/v1/failed-events/replay", "GET /api/v1/jobs/recent");
    }

    @Test
    void everyApiRouteRefusesACallWithoutAWorkspaceEvenWithTheServiceToken() {
        assertThat(WorkspacelessRoutes.check(mappings, port, Set.of()))
                .containsExactlyInAnyOrder(
                        "GET /api/v1/events/trace",
                        "GET /api/v1/jobs/recent",
                        "GET /api/v1/stats",
                        "GET /api/v1/stats/series",
                        "GET /api/v1/failed-events",
                        "GET /api/v1/failed-events/{jobId}",
                        "POST /api/v1/failed-events/replay");
    }

    @Test
    void anApiBodyOverTheLimitIsRefusedBeforeItIsParsed() {
        // about 1.4 MB of job ids against the 1 MB default (api.max-request-body)
        String body = "{\"jobIds\":[" + "1,".repeat(700_000) + "1]}";
        Api.Response answer = api.post("/api/v1/failed-events/replay?workspaceId=ws-1", body);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body()).contains("API_MAX_REQUEST_BODY", "\"maxBytes\":1048576");
    }

    @Test
    void aWorkspaceSeesNoneOfAnotherWorkspacesDeliveries() {
        sink.script("m-tenant", Reply.of(422));
        long id = hook("u-tenant", "m-tenant", 1);
        awaitState(id, "aborted");
        assertThat(api.get("/api/v1/jobs/recent?workspaceId=ws-1&limit=500")
                        .json()
                        .findValuesAsString("messageId"))
                .contains("m-tenant");
        assertThat(api.get("/api/v1/events/trace?workspaceId=ws-1&messageId=m-tenant")
                        .json())
                .hasSize(1);

        assertThat(api.get("/api/v1/jobs/recent?workspaceId=other&limit=500").json())
                .isEmpty();
        assertThat(api.get("/api/v1/events/trace?workspaceId=other&messageId=m-tenant")
                        .json())
                .isEmpty();
        assertThat(api.get("/api/v1/failed-events?workspaceId=other&userId=u-tenant")
                        .json()
                        .path("total")
                        .asLong())
                .isZero();
        assertThat(api.get("/api/v1/failed-events/" + id + "?workspaceId=other").status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/stats/series?workspaceId=other&range=24h")
                        .json()
                        .findValues("delivered"))
                .allSatisfy(n -> assertThat(n.asLong()).isZero());
        Api.Response foreign = api.post("/api/v1/failed-events/replay?workspaceId=other", "{\"jobIds\":[" + id + "]}");
        assertThat(foreign.json().path("replayed")).isEmpty();
        assertThat(api.get("/api/v1/failed-events/" + id + "?workspaceId=ws-1")
                        .json()
                        .path("replays"))
                .isEmpty();
    }

    @Test
    void twoServerErrorsThenOkIsDeliveredOnTheThirdAttemptWithBackoffBetween() {
        sink.script("m-500-500-200", Reply.of(500), Reply.of(500), Reply.of(200));
        long id = hook("u-a", "m-500-500-200", 1);
        awaitState(id, "succeeded");
        assertThat(statuses.states(id))
                .containsExactly("executing:1", "failed:1", "executing:2", "failed:2", "executing:3", "succeeded:3");
        List<RtStatuses.Row> rows = statuses.of(id);
        RtStatuses.Row firstFailure = rows.get(1);
        RtStatuses.Row secondFailure = rows.get(3);
        assertThat(firstFailure.code()).isEqualTo("500");
        assertThat(Duration.between(firstFailure.execTime(), firstFailure.retryTime()))
                .isEqualTo(Duration.ofMillis(100));
        assertThat(Duration.between(secondFailure.execTime(), secondFailure.retryTime()))
                .isEqualTo(Duration.ofMillis(200));
        JsonNode response = Json.mapper().readTree(firstFailure.response());
        assertThat(response.path("response").asString()).isEqualTo("{\"status\":500}");
        assertThat(response.path("content-type").asString()).isEqualTo("application/json");
        String firstAttemptedAt = response.path("firstAttemptedAt").asString();
        assertThat(Json.mapper()
                        .readTree(rows.get(5).response())
                        .path("firstAttemptedAt")
                        .asString())
                .isEqualTo(firstAttemptedAt);
        // the router reads it back from the status's own column, which holds the same time (to the microsecond)
        assertThat(rows.getFirst().firstAttemptedAt()).isNull();
        for (RtStatuses.Row row : rows.subList(1, 6))
            assertThat(row.firstAttemptedAt()).isCloseTo(Instant.parse(firstAttemptedAt), within(1, ChronoUnit.MICROS));
        assertThat(rows.get(5).code()).isEqualTo("200");
        assertThat(sink.receivedFor("m-500-500-200")).hasSize(3);
    }

    @Test
    void aBadRequestIsAbortedAtOnce() {
        sink.script("m-400", Reply.of(400));
        long id = hook("u-b", "m-400", 1);
        awaitState(id, "aborted");
        assertThat(statuses.states(id)).containsExactly("executing:1", "aborted:1");
        assertThat(statuses.of(id).getLast().code()).isEqualTo("400");
        assertThat(sink.receivedFor("m-400")).hasSize(1);
    }

    @Test
    void aServerErrorThenABadRequestIsAbortedOnTheSecondAttempt() {
        sink.script("m-500-400", Reply.of(500), Reply.of(400));
        long id = hook("u-c", "m-500-400", 1);
        awaitState(id, "aborted");
        assertThat(statuses.states(id)).containsExactly("executing:1", "failed:1", "executing:2", "aborted:2");
        assertThat(sink.receivedFor("m-500-400")).hasSize(2);
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheRetryAfterDelayCappedAtTheMaximumBackoff() {
        sink.script("m-429", Reply.of(429, Map.of("Retry-After", "1")), Reply.of(200));
        long id = hook("u-d", "m-429", 1);
        awaitState(id, "succeeded");
        RtStatuses.Row failure = statuses.of(id).get(1);
        assertThat(failure.state()).isEqualTo("failed");
        assertThat(failure.code()).isEqualTo("429");
        // Retry-After: 1 (s) is more than this test's max-backoff (400 ms): one header must not park a user for long
        assertThat(Duration.between(failure.execTime(), failure.retryTime())).isEqualTo(Duration.ofMillis(400));
        assertThat(sink.receivedFor("m-429")).hasSize(2);
    }

    @Test
    void aTimeoutIsAGatewayTimeoutThatIsRetried() {
        sink.script("m-slow", Reply.slow(Duration.ofSeconds(2)), Reply.of(200));
        long id = store(TestJobs.job("SLOW", "d-hook", sink.url("/slow"), "u-e", "m-slow", 1));
        awaitState(id, "succeeded");
        RtStatuses.Row failure = statuses.of(id).get(1);
        assertThat(failure.state()).isEqualTo("failed");
        assertThat(failure.code()).isEqualTo("504");
        assertThat(failure.response()).contains("timed out");
    }

    @Test
    void theRequestIsBuiltFromTheDescription() {
        String form = """
                {"version":"1","type":"REST","method":"PUT","endpoint":"%s","headers":{"X-Api-Key":"k1"},
                 "params":{"a":"1 2","b":"x"},"body":{"JSON":{},"JSON_ARRAY":{},"XML":{},"FORM":{"name":"Ann","n":3}},
                 "files":{},"userId":"u-f"}""".formatted(sink.url("/form"));
        String batch = """
                {"version":"1","type":"REST","method":"POST","endpoint":"%s?k=v","headers":{},"params":{"p":"q"},
                 "body":{"JSON":{},"JSON_ARRAY":{"batch":"[{\\"messageId\\":\\"m-arr\\"}]"},"XML":{},"FORM":{}},
                 "files":{},"userId":"u-f"}""".formatted(sink.url("/batch"));
        String xml = """
                {"version":"1","type":"REST","method":"POST","endpoint":"%s","headers":{},"params":{},
                 "body":{"JSON":{},"JSON_ARRAY":{},"XML":{"payload":"<a>1</a>"},"FORM":{}},"files":{},"userId":"u-f"}""".formatted(sink.url("/xml"));
        String params = """
                {"destination_id":"d-hook","source_id":"src-1","workspaceId":"ws-1","message_id":"x"}""";
        List<Long> ids = new ArrayList<>();
        for (String payload : List.of(form, batch, xml))
            ids.add(store(NewJob.of("u-f", TestJobs.WORKSPACE, "WEBHOOK", params, payload)));
        ids.forEach(id -> awaitState(id, "succeeded"));

        ScriptedSink.Received formReq = byPath("/form");
        assertThat(formReq.method()).isEqualTo("PUT");
        assertThat(formReq.query()).isEqualTo("a=1+2&b=x");
        assertThat(formReq.body()).isEqualTo("name=Ann&n=3");
        assertThat(formReq.headers().get("Content-type")).containsExactly("application/x-www-form-urlencoded");
        assertThat(formReq.headers().get("X-api-key")).containsExactly("k1");
        assertThat(formReq.headers().get("User-agent")).containsExactly("RudderLabs");

        ScriptedSink.Received batchReq = byPath("/batch");
        assertThat(batchReq.query()).isEqualTo("k=v&p=q");
        assertThat(batchReq.body()).isEqualTo("[{\"messageId\":\"m-arr\"}]");
        assertThat(batchReq.headers().get("Content-type")).containsExactly("application/json");

        ScriptedSink.Received xmlReq = byPath("/xml");
        assertThat(xmlReq.body()).isEqualTo("<a>1</a>");
        assertThat(xmlReq.headers().get("Content-type")).containsExactly("application/xml");
    }

    private ScriptedSink.Received byPath(String path) {
        return sink.received().stream()
                .filter(r -> r.path().equals(path))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void jobsOfADisabledOrDeletedDestinationAreDrainedWithAReason() {
        long off = store(TestJobs.job("WEBHOOK", "d-off", sink.url("/off"), "u-g", "m-off", 1));
        long gone = store(TestJobs.job("WEBHOOK", "d-gone", sink.url("/gone"), "u-g", "m-gone", 1));
        awaitState(off, "aborted");
        awaitState(gone, "aborted");
        assertThat(statuses.of(off).getLast().code()).isEqualTo("410");
        assertThat(statuses.of(off).getLast().response()).contains("destination is disabled");
        assertThat(statuses.of(gone).getLast().response()).contains("destination not found");
        assertThat(sink.receivedFor("m-off")).isEmpty();
        assertThat(sink.receivedFor("m-gone")).isEmpty();
    }

    @Test
    void aFailingEventHoldsLaterEventsOfTheSameUserWhileOtherUsersFlow() {
        sink.failUntilReleased("blk-1");
        // the blocked user's first five events in one commit: one pickup hands them to the user's worker together,
        // and the worker holds the four behind the one that fails (`waiting`, naming it)
        List<NewJob> blocked = new ArrayList<>();
        for (int i = 1; i <= 5; i++)
            blocked.add(TestJobs.job("WEBHOOK", "d-hook", sink.url("/hook"), "u-blocked", "blk-" + i, i));
        List<Long> blockedUser = new ArrayList<>(jobsDbs.queue(Queue.RT).store(blocked));
        List<Long> otherUser = new ArrayList<>();
        for (int i = 1; i <= 5; i++) otherUser.add(hook("u-free", "free-" + i, i));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> statuses.countLatest(otherUser, "succeeded") == 5
                        && sink.receivedFor("blk-1").size() >= 2
                        && statuses.countLatest(blockedUser.subList(1, 5), "waiting") == 4);
        for (int i = 2; i <= 5; i++) assertThat(sink.receivedFor("blk-" + i)).isEmpty();
        String waiting = statuses.of(blockedUser.get(3)).getLast().response();
        assertThat(Json.mapper().readTree(waiting).path("blocking_id").asLong()).isEqualTo(blockedUser.getFirst());
        assertThat(statuses.of(blockedUser.get(3)).getLast().blockingJobId()).isEqualTo(blockedUser.getFirst());
        assertThat(Json.mapper().readTree(waiting).path("user_id").asString()).isEqualTo("u-blocked");
        // an event of the user stored while its first one fails is not read at all (the user is parked): no status
        // until it goes, after the others
        blockedUser.add(hook("u-blocked", "blk-6", 6));

        sink.release("blk-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> statuses.countLatest(blockedUser, "succeeded") == 6);
        List<Integer> order = sink.delivered().stream()
                .filter(r -> r.userId().equals("u-blocked"))
                .map(ScriptedSink.Received::seq)
                .toList();
        assertThat(order).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(statuses.states(blockedUser.getLast()))
                .as("read once, when its user could go again: no waiting row per pickup")
                .containsExactly("executing:1", "succeeded:1");
    }

    @Test
    void aDoubleSubmittedReplayMakesOneCopy() throws Exception {
        sink.script("m-twice", Reply.of(422));
        long id = hook("u-twice", "m-twice", 1);
        awaitState(id, "aborted");
        sink.failUntilReleased("m-twice"); // the copy stays in flight (503, retried) while the second submit comes
        String body = "{\"jobIds\":[" + id + "]}";
        List<Api.Response> answers;
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var first = threads.submit(() -> api.post("/api/v1/failed-events/replay?workspaceId=ws-1", body));
            var second = threads.submit(() -> api.post("/api/v1/failed-events/replay?workspaceId=ws-1", body));
            answers = List.of(first.get(), second.get());
        }
        assertThat(answers.stream()
                        .mapToInt(a -> a.json().path("replayed").size())
                        .sum())
                .isEqualTo(1);
        assertThat(answers.stream()
                        .mapToInt(a -> a.json().path("skipped").size())
                        .sum())
                .isEqualTo(1);
        assertThat(api.post("/api/v1/failed-events/replay?workspaceId=ws-1", body)
                        .json()
                        .path("skipped")
                        .get(0)
                        .path("reason")
                        .asString())
                .contains("already replayed");
        sink.release("m-twice");
    }

    @Test
    void failedEventsCanBeListedInspectedAndReplayed() {
        sink.script("m-replay", Reply.of(422));
        long id = hook("u-h", "m-replay", 1);
        awaitState(id, "aborted");

        Api.Response list = api.get(
                "/api/v1/failed-events?workspaceId=ws-1&destinationId=d-hook&statusCode=422&state=aborted&userId=u-h&q=STATUS");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("total").asLong()).isEqualTo(1);
        JsonNode item = list.json().path("items").get(0);
        assertThat(item.path("jobId").asLong()).isEqualTo(id);
        assertThat(item.path("state").asString()).isEqualTo("aborted");
        assertThat(item.path("errorCode").asString()).isEqualTo("422");
        assertThat(item.path("errorResponse").path("response").asString()).isEqualTo("{\"status\":422}");
        assertThat(item.path("messageId").asString()).isEqualTo("m-replay");
        String later = java.time.Instant.now().plusSeconds(3600).toString();
        assertThat(api.get("/api/v1/failed-events?workspaceId=ws-1&userId=u-h&from=" + later)
                        .json()
                        .path("total")
                        .asLong())
                .isZero();
        assertThat(api.get("/api/v1/failed-events?workspaceId=ws-1&userId=u-h&to=" + later)
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(1);
        assertThat(api.get("/api/v1/failed-events?workspaceId=ws-1&userId=u-h&q=nothing-like-this")
                        .json()
                        .path("total")
                        .asLong())
                .isZero();

        sink.failUntilReleased("m-still-failing");
        long stillFailing = hook("u-h2", "m-still-failing", 1);
        awaitState(stillFailing, "failed");
        Api.Response replay = api.post(
                "/api/v1/failed-events/replay?workspaceId=ws-1",
                "{\"jobIds\":[" + id + ", 999999999, " + stillFailing + "]}");
        sink.release("m-still-failing");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().path("replayed")).hasSize(1);
        assertThat(replay.json().path("skipped").get(0).path("jobId").asLong()).isEqualTo(stillFailing);
        long copy = replay.json().path("replayed").get(0).path("newJobId").asLong();
        assertThat(replay.json().path("notFound").get(0).asLong()).isEqualTo(999999999L);
        awaitState(copy, "succeeded");
        assertThat(sink.receivedFor("m-replay")).hasSize(2);

        JsonNode original =
                api.get("/api/v1/failed-events/" + id + "?workspaceId=ws-1").json();
        assertThat(original.path("state").asString()).isEqualTo("aborted");
        assertThat(original.path("attempts")).hasSize(2);
        assertThat(original.path("attempts").get(1).path("errorCode").asString())
                .isEqualTo("422");
        assertThat(original.path("replays").get(0).path("newJobId").asLong()).isEqualTo(copy);
        assertThat(original.path("payload").path("endpoint").asString()).isEqualTo(sink.url("/hook"));
        JsonNode replayed =
                api.get("/api/v1/failed-events/" + copy + "?workspaceId=ws-1").json();
        assertThat(replayed.path("replayedFrom").asLong()).isEqualTo(id);
        assertThat(api.get("/api/v1/failed-events/123456789?workspaceId=ws-1").status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/failed-events?workspaceId=ws-1&state=executing")
                        .status())
                .isEqualTo(400);

        // scoped to a workspace (the web app always names it): another workspace's jobs are invisible
        String own = "workspaceId=" + TestJobs.WORKSPACE;
        assertThat(api.get("/api/v1/failed-events?userId=u-h&" + own)
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(1);
        assertThat(api.get("/api/v1/failed-events?userId=u-h&workspaceId=other")
                        .json()
                        .path("total")
                        .asLong())
                .isZero();
        assertThat(api.get("/api/v1/failed-events/" + id + "?" + own).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/failed-events/" + id + "?workspaceId=other").status())
                .isEqualTo(404);
        Api.Response foreign = api.post("/api/v1/failed-events/replay?workspaceId=other", "{\"jobIds\":[" + id + "]}");
        assertThat(foreign.json().path("replayed")).isEmpty();
        assertThat(foreign.json().path("notFound").get(0).asLong()).isEqualTo(id);
    }

    @Test
    void deliveriesAreCountedPerDestinationAndMinute() {
        sink.script("m-stat-fail", Reply.of(400));
        long ok = hook("u-i", "m-stat-ok", 1);
        long bad = hook("u-j", "m-stat-fail", 1);
        awaitState(ok, "succeeded");
        awaitState(bad, "aborted");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode stats = api.get("/api/v1/stats?workspaceId=ws-1&destinationId=d-hook")
                    .json();
            assertThat(stats.path("totals").path("delivered").asLong()).isPositive();
            assertThat(stats.path("totals").path("aborted").asLong()).isPositive();
            assertThat(stats.path("buckets").get(0).path("destinationId").asString())
                    .isEqualTo("d-hook");
            JsonNode own = api.get("/api/v1/stats?workspaceId=" + TestJobs.WORKSPACE + "&destinationId=d-hook")
                    .json();
            assertThat(own.path("totals")).isEqualTo(stats.path("totals"));
        });
        // another workspace sees none of these counts, even naming the destination
        JsonNode other =
                api.get("/api/v1/stats?workspaceId=other&destinationId=d-hook").json();
        assertThat(other.path("buckets")).isEmpty();
        String prometheus = api.get("/actuator/prometheus").body();
        assertThat(prometheus).contains("router_deliveries_total{destination_type=\"WEBHOOK\",result=\"succeeded\"}");
        assertThat(prometheus).contains("router_delivery_latency_seconds_count{destination_type=\"WEBHOOK\"}");
        Api.Response health = api.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("ownedPartitions").asInt()).isEqualTo(64);
        // the router's threads report their liveness (review P2-8): a dead one turns /health to 503
        assertThat(health.json().path("pickup").asString()).isEqualTo("UP");
        assertThat(health.json().path("statusCommitter").asString()).isEqualTo("UP");
        assertThat(health.json().path("workers").asString()).isEqualTo("UP");
        assertThat(api.get("/health/live").json().path("status").asString()).isEqualTo("UP");
    }
}
