package dev.eventpipe.processor;

import static dev.eventpipe.processor.TestWorkspace.source;
import static dev.eventpipe.processor.TestWorkspace.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.model.auth.ServiceToken;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.testkit.TestPostgres;
import dev.eventpipe.testkit.UnauthenticatedRoutes;
import dev.eventpipe.testkit.WorkspacelessRoutes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
import tools.jackson.databind.node.ObjectNode;

/**
 * One processor over real HTTP and PostgreSQL, with a stub transformer: the main flow and the faults. Over 300
 * lines because the scenarios share one application context (each on its own source), which takes seconds to
 * start on the build machines.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProcessorFlowIT {
    static final StubTransformer transformer = StubTransformer.started();
    static final String[] SOURCES = {
        source(
                "src-main",
                "wk-main",
                webhook("d-hook", ""),
                webhook("d-disabled", "").replace("\"enabled\": true", "\"enabled\": false"),
                webhook("d-cloud", "").replace("\"isProcessorEnabled\": true", "\"isProcessorEnabled\": false")),
        source("src-order", "wk-order", webhook("d-order", "")),
        source("src-dedup", "wk-dedup", webhook("d-dedup", "")),
        source("src-outage", "wk-outage", webhook("d-outage", "")),
        source("src-fault", "wk-fault", webhook("d-fault", "")),
        source("src-reject", "wk-reject", webhook("d-reject", "")),
        source("src-poison", "wk-poison", webhook("d-poison", "")),
        source("src-tenant", "wk-tenant", webhook("d-tenant", ""))
    };
    static final Path config = TestWorkspace.write(SOURCES);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        TestPostgres.register(r);
        r.add("processor.transformer.url", transformer::url);
        r.add("workspace-config.path", config::toString);
        r.add("processor.batch.max-jobs", () -> "300");
        r.add("processor.transformer.max-backoff", () -> "500ms");
        r.add("processor.idle-sleep", () -> "20ms");
        r.add("workspace-config.poll-interval", () -> "200ms");
        // the outage, rejection and retry scenarios below are the transformer's, on WEBHOOK destinations: keep
        // WEBHOOK on the transformer (the default builds its envelope in the processor, see WebhookInProcessTest)
        r.add(Processors.WEBHOOK_IN_PROCESS, () -> "false");
    }

    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    QueueRows rows;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void stop() {
        transformer.close();
    }

    @BeforeEach
    void setUp() {
        rows = new QueueRows(dataSource);
        transformer.failNext(0, 503);
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyRouteButHealthRefusesCallersWithoutTheServiceToken() {
        assertThat(UnauthenticatedRoutes.check(mappings, port))
                .contains("GET /api/v1/events/recent", "GET /api/v1/stats");
    }

    @Test
    void everyApiRouteRefusesACallWithoutAWorkspaceEvenWithTheServiceToken() {
        assertThat(WorkspacelessRoutes.check(mappings, port, Set.of()))
                .containsExactlyInAnyOrder(
                        "GET /api/v1/events/recent",
                        "GET /api/v1/events/search",
                        "GET /api/v1/backlog",
                        "GET /api/v1/stats",
                        "GET /api/v1/stats/series");
    }

    /**
     * Review P3-6: which of the five spellings that the scope filter refuses without a workspace does Spring MVC
     * route to the controller at all, over real HTTP (raw socket, service token, a workspace named)? SECURITY.md says
     * what this finds.
     */
    @Test
    void whichSpellingsOfAnApiPathReachItsController() {
        assertThat(WorkspacelessRoutes.spellingStatuses(port, "/api/v1/stats", "?workspaceId=ws-spelling"))
                .containsExactly(
                        java.util.Map.entry("/api;x=1/v1/stats", 200),
                        java.util.Map.entry("//api/v1/stats", 404),
                        java.util.Map.entry("/%61pi/v1/stats", 200),
                        java.util.Map.entry("/./api/v1/stats", 404),
                        java.util.Map.entry("/x/../api/v1/stats", 404));
    }

    @Test
    void aWorkspaceSeesNoneOfAnotherWorkspacesEvents() throws Exception {
        ObjectNode event = GwJobs.track("anon-tenant", "Tenant Event");
        GwJobs.create().add("src-tenant", "wk-tenant", event).store(jobsDbs);
        String messageId = event.path("messageId").asString();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> get("/api/v1/events/search?workspaceId=ws-1&id=" + messageId)
                                .size()
                        == 1);
        assertThat(get("/api/v1/events/recent?workspaceId=ws-1&limit=500").findValuesAsString("messageId"))
                .contains(messageId);

        assertThat(get("/api/v1/events/search?workspaceId=ws-other&id=" + messageId))
                .isEmpty();
        assertThat(get("/api/v1/events/recent?workspaceId=ws-other&limit=500")).isEmpty();
        assertThat(get("/api/v1/stats?workspaceId=ws-other&from=2000-01-01T00:00:00Z")
                        .path("buckets"))
                .isEmpty();
        assertThat(get("/api/v1/stats/series?workspaceId=ws-other&range=24h").findValues("received"))
                .allSatisfy(n -> assertThat(n.asLong()).isZero());
        assertThat(get("/api/v1/backlog?workspaceId=ws-other").findValues("pending"))
                .allSatisfy(n -> assertThat(n.asLong()).isZero());
    }

    @Test
    void anEventBecomesOneRtJobPerDestinationWithRouterParametersAndSkewCorrectedTimes() throws Exception {
        ObjectNode event = GwJobs.track("anon-1", "Order Completed");
        event.put("originalTimestamp", "2026-11-26T09:59:50Z");
        event.put("sentAt", "2026-11-26T09:59:55.000Z");
        event.putObject("properties").put("price", 10.50);
        long gwId =
                GwJobs.create().add("src-main", "wk-main", event).store(jobsDbs).getFirst();

        await().atMost(Duration.ofSeconds(20)).until(() -> rows.rtCount("src-main") == 1);
        QueueRows.Rt rt = rows.rt("src-main").getFirst();
        assertThat(rt.customVal()).isEqualTo("WEBHOOK");
        assertThat(rt.userId()).isEqualTo("anon-1<<>>anon-1<<>>");
        JsonNode p = rt.parameters();
        assertThat(p.path("source_id").asString()).isEqualTo("src-main");
        assertThat(p.path("destination_id").asString()).isEqualTo("d-hook");
        assertThat(p.path("message_id").asString())
                .isEqualTo(event.path("messageId").asString());
        assertThat(p.path("gateway_job_id").asLong()).isEqualTo(gwId);
        assertThat(p.path("event_name").asString()).isEqualTo("Order Completed");
        assertThat(p.path("event_type").asString()).isEqualTo("track");
        assertThat(p.path("received_at").asString()).isEqualTo("2026-11-26T10:00:00.000Z");
        assertThat(p.path("transform_at").asString()).isEqualTo("processor");
        assertThat(p.path("workspaceId").asString()).isEqualTo("ws-1");
        assertThat(p.path("source_category").asString()).isEqualTo("eventStream");

        JsonNode message = rt.payload().path("body").path("JSON");
        assertThat(rt.payload().path("endpoint").asString()).isEqualTo("http://127.0.0.1:1/d-hook");
        assertThat(message.path("receivedAt").asString()).isEqualTo("2026-11-26T10:00:00.000Z");
        assertThat(message.path("originalTimestamp").asString()).isEqualTo("2026-11-26T09:59:50.000Z");
        assertThat(message.path("sentAt").asString()).isEqualTo("2026-11-26T09:59:55.000Z");
        assertThat(message.path("timestamp").asString()).isEqualTo("2026-11-26T09:59:55.000Z");
        assertThat(message.path("request_ip").asString()).isEqualTo("10.1.2.3");
        assertThat(message.path("messageId").asString())
                .isEqualTo(event.path("messageId").asString());
        assertThat(message.path("rudderId").asString())
                .isEqualTo(event.path("rudderId").asString());
        assertThat(message.path("properties").path("price").toString()).isEqualTo("10.5");

        QueueRows.GwState gw = rows.gw(gwId);
        assertThat(gw.state()).isEqualTo("succeeded");
        assertThat(gw.errorCode()).isEqualTo("200");

        JsonNode stats = get("/api/v1/stats?workspaceId=ws-1&sourceId=src-main&from=2000-01-01T00:00:00Z");
        assertThat(stats.path("totals").path("received").asLong()).isEqualTo(1);
        assertThat(stats.path("totals").path("stored").asLong()).isEqualTo(1);
        JsonNode ownWorkspace = get("/api/v1/stats?workspaceId=ws-1&sourceId=src-main&from=2000-01-01T00:00:00Z");
        assertThat(ownWorkspace.path("totals").path("stored").asLong()).isEqualTo(1);
        JsonNode otherWorkspace = get("/api/v1/stats?workspaceId=ws-other&sourceId=src-main&from=2000-01-01T00:00:00Z");
        assertThat(otherWorkspace.path("buckets")).isEmpty();
        JsonNode health = get("/health");
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("partitions").asInt()).isEqualTo(64);
        String prometheus = http.send(
                        ServiceToken.authorize(HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(prometheus)
                .contains("processor_pipeline_lag_seconds_count")
                .contains("processor_pipeline_oldest_lag_seconds")
                .contains("processor_events_total{stage=\"stored\"}");
    }

    @Test
    void aJobOfASourceTheConfigDoesNotKnowYetWaitsForTheConfig() {
        double configRetries = batches("config");
        long id = GwJobs.create()
                .add("src-late", "wk-late", GwJobs.track("anon-l", "early"))
                .store(jobsDbs)
                .getFirst();
        // fetched, and kept (retried) while its source is unknown: no status until the config names the source
        await().atMost(Duration.ofSeconds(10)).until(() -> batches("config") > configRetries);
        assertThat(rows.gw(id).state()).isNull();
        String[] withLate = java.util.Arrays.copyOf(SOURCES, SOURCES.length + 1);
        withLate[SOURCES.length] = source("src-late", "wk-late", webhook("d-late", ""));
        TestWorkspace.rewrite(config, withLate);
        await().atMost(Duration.ofSeconds(20)).until(() -> rows.rtCount("src-late") == 1);
        assertThat(rows.gw(id).state()).isEqualTo("succeeded");
        TestWorkspace.rewrite(config, SOURCES);
    }

    @Test
    void eventsOfEachUserLeaveInArrivalOrderAcrossALargeInterleavedBatch() {
        int users = 40;
        int perUser = 50;
        GwJobs.interleaved("src-order", "wk-order", users, perUser).store(jobsDbs);

        await().atMost(Duration.ofSeconds(60)).until(() -> rows.rtCount("src-order") >= users * perUser);
        // each user's seq 0, 1, 2, ... once and in order; all stored, so every user's last is perUser - 1
        assertThat(rows.assertOncePerMessageInOrder("src-order", users)).hasSize(users * perUser);
    }

    @Test
    void aRepeatedMessageIdIsDroppedCountedAndItsGwJobFiltered() throws Exception {
        ObjectNode first = GwJobs.track("anon-d", "Signed Up");
        long firstId = GwJobs.create()
                .add("src-dedup", "wk-dedup", first)
                .store(jobsDbs)
                .getFirst();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "succeeded".equals(rows.gw(firstId).state()));

        ObjectNode again = first.deepCopy();
        ObjectNode other = GwJobs.track("anon-d", "Other");
        List<Long> ids = GwJobs.create()
                .add("src-dedup", "wk-dedup", again)
                .add("src-dedup", "wk-dedup", other)
                .add("src-dedup", "wk-dedup", other.deepCopy())
                .store(jobsDbs);
        await().atMost(Duration.ofSeconds(20)).until(() -> rows.gw(ids.get(2)).state() != null);

        assertThat(rows.rtCount("src-dedup")).isEqualTo(2);
        assertThat(rows.gw(ids.get(0)).state()).isEqualTo("filtered");
        assertThat(rows.gw(ids.get(0)).errorResponse().path("reason").asString())
                .isEqualTo("duplicate messageId");
        assertThat(rows.gw(ids.get(1)).state()).isEqualTo("succeeded");
        assertThat(rows.gw(ids.get(2)).state()).isEqualTo("filtered");
        JsonNode stats = get("/api/v1/stats?workspaceId=ws-1&sourceId=src-dedup&from=2000-01-01T00:00:00Z");
        assertThat(stats.path("totals").path("deduplicated").asLong()).isEqualTo(2);
        assertThat(stats.path("totals").path("received").asLong()).isEqualTo(4);
    }

    @Test
    void aTransformerOutageKeepsTheJobsReportsDegradedAndRecoversWithoutLossOrDuplicates() throws Exception {
        transformer.failNext(1_000_000, 503);
        List<Long> ids = GwJobs.create()
                .add("src-outage", "wk-outage", GwJobs.track("anon-o", "a"))
                .add("src-outage", "wk-outage", GwJobs.track("anon-o", "b"))
                .store(jobsDbs);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> get("/health").path("status").asString().equals("DEGRADED"));
        JsonNode health = get("/health");
        assertThat(health.path("transformer").asString()).isEqualTo("DOWN");
        assertThat(status("/health")).isEqualTo(200);
        assertThat(get("/health/live").path("status").asString()).isEqualTo("UP");
        assertThat(rows.gw(ids.get(0)).state())
                .as("in flight: no status until the batch commits")
                .isNull();
        assertThat(rows.rtCount("src-outage")).isZero();

        transformer.failNext(3, 809); // config backend down inside the transformer: retried as well
        await().atMost(Duration.ofSeconds(20)).until(() -> rows.rtCount("src-outage") == 2);
        assertThat(transformer.failuresLeft()).isZero();
        assertThat(rows.rt("src-outage"))
                .extracting(
                        r -> r.payload().path("body").path("JSON").path("event").asString())
                .containsExactly("a", "b");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> get("/health").path("status").asString().equals("UP"));
    }

    @Test
    void aChunkTheTransformerRejectsWith400FailsItsEventsWithThatCodeAndIsNotRetried() {
        transformer.failNext(1, 400);
        long id = GwJobs.create()
                .add("src-reject", "wk-reject", GwJobs.track("anon-x", "x"))
                .store(jobsDbs)
                .getFirst();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "aborted".equals(rows.gw(id).state()));
        JsonNode failure = rows.gw(id).errorResponse().path("failures").path(0);
        assertThat(failure.path("statusCode").asInt()).isEqualTo(400);
        assertThat(failure.path("stage").asString()).isEqualTo("destination_transformation");
        assertThat(failure.path("reason").asString()).contains("scripted outage");
        assertThat(rows.rtCount("src-reject")).isZero();
    }

    @Test
    void aFailureInsideTheStoreTransactionLeavesNoTraceAndTheBatchIsStoredOnceLater() {
        var jdbc = rows.jdbc();
        jdbc.sql("CREATE TABLE test_fault (on_source text)").update();
        jdbc.sql("INSERT INTO test_fault VALUES ('src-fault')").update();
        // the rt store is the last write of the transaction: failing there proves the gw statuses, dedup ids and
        // stats written before it are rolled back too (an error of the moment: the batch is retried, not split)
        rows.raiseOnInsert(
                "test_fail_rt",
                "rt_jobs",
                "EXISTS (SELECT 1 FROM test_fault WHERE on_source = NEW.parameters->>'source_id')",
                "RAISE EXCEPTION 'injected failure before commit'");
        try {
            int callsBefore = transformer.calls();
            List<Long> ids = GwJobs.create()
                    .add("src-fault", "wk-fault", GwJobs.track("anon-f", "x"))
                    .add("src-fault", "wk-fault", GwJobs.track("anon-f", "y"))
                    .store(jobsDbs);
            // the batch went through the transformer at least twice: it failed to commit and was retried
            await().atMost(Duration.ofSeconds(20)).until(() -> transformer.calls() >= callsBefore + 2);
            assertThat(rows.rtCount("src-fault")).isZero();
            assertThat(rows.gw(ids.get(0)).state()).isNull();
            assertThat(jdbc.sql("SELECT count(*) FROM proc_stats WHERE source_id = 'src-fault'")
                            .query(Long.class)
                            .single())
                    .isZero();

            jdbc.sql("DELETE FROM test_fault").update();
            await().atMost(Duration.ofSeconds(20)).until(() -> rows.rtCount("src-fault") == 2);
            assertThat(rows.gw(ids.get(1)).state()).isEqualTo("succeeded");
            await().during(Duration.ofMillis(500)).until(() -> rows.rtCount("src-fault") == 2);
        } finally {
            jdbc.sql("DROP TRIGGER test_fail_rt ON rt_jobs").update();
        }
    }

    @Test
    void aJobTheDatabaseRefusesIsFoundByBisectionAndAbortedWhileEveryOtherJobGoesOnInOrder() throws Exception {
        var jdbc = rows.jdbc();
        // PostgreSQL refuses one row for what it holds (SQLSTATE 22P02, like a value jsonb cannot take)
        rows.raiseOnInsert(
                "test_refuse_rt",
                "rt_jobs",
                "strpos(NEW.event_payload, 'poison-pill') > 0",
                "RAISE EXCEPTION 'injected refusal of a poison row' USING ERRCODE = '22P02'");
        try {
            GwJobs jobs = GwJobs.create();
            for (int i = 0; i < 30; i++) {
                String name = i == 13 ? "poison-pill" : "step-" + i;
                jobs.add("src-poison", "wk-poison", GwJobs.track("user-" + i % 3, name));
            }
            List<Long> ids = jobs.store(jobsDbs);
            long poison = ids.get(13);

            await().atMost(Duration.ofSeconds(30)).until(() -> rows.rtCount("src-poison") == 29);
            QueueRows.GwState aborted = rows.gw(poison);
            assertThat(aborted.state()).isEqualTo("aborted");
            assertThat(aborted.errorResponse().path("reason").asString())
                    .contains("injected refusal of a poison row")
                    .contains("22P02");
            for (long id : ids)
                if (id != poison) assertThat(rows.gw(id).state()).isEqualTo("succeeded");
            // every user's rt jobs are in the order of their gw jobs, the poison's own user included
            for (int user = 0; user < 3; user++) {
                String key = "user-" + user + "<<>>user-" + user + "<<>>";
                List<Long> gwOrder = rows.rt("src-poison").stream()
                        .filter(rt -> rt.userId().equals(key))
                        .map(rt -> rt.parameters().path("gateway_job_id").asLong())
                        .toList();
                assertThat(gwOrder).isSorted().hasSize(user == 1 ? 9 : 10);
            }
            JsonNode stats = get("/api/v1/stats?workspaceId=ws-1&sourceId=src-poison");
            assertThat(stats.path("totals").path("quarantined").asLong()).isEqualTo(1);
            assertThat(stats.path("totals").path("stored").asLong()).isEqualTo(29);
        } finally {
            jdbc.sql("DROP TRIGGER test_refuse_rt ON rt_jobs").update();
        }
    }

    /** {@code processor.batches{result}}: batches that went this way (kept, retried, abandoned...). */
    private double batches(String result) {
        Counter c = meters.find("processor.batches").tag("result", result).counter();
        return c == null ? 0 : c.count();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(
                ServiceToken.authorize(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(r.body());
    }

    private int status(String path) throws Exception {
        return http.send(
                        ServiceToken.authorize(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
