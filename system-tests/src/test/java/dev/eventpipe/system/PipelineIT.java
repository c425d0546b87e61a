package dev.eventpipe.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.auth.ServiceToken;
import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The whole data plane as separate processes on one real PostgreSQL: events posted to the gateway reach a local
 * webhook sink through the processor, the transformer and the router, in per-user order. "Once each" is checked as
 * the system promises it ({@link DoubleCheck}): the processor stores each event once (one rt job per event, in the
 * database, also across a processor kill), and the router delivers at least once: an event the sink got twice must
 * be a retry after an attempt recorded {@code failed} 504 (a timeout or network error, which the sink may have
 * taken); such doubles are printed, any other fails. The processor
 * runs with {@code PROCESSOR_WEBHOOK_IN_PROCESS=false}, so every WEBHOOK event takes the transformer's
 * {@code webhook/transform.js} between the real services (review 1330 P2-3): with the default the processor builds
 * the envelope itself, and the other system tests (PoisonIT among them) run that path.
 */
class PipelineIT {
    private static final String WRITE_KEY = "system-test-write-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    Sink sink;
    TestPostgres.Database database;
    Map<String, String> env;
    List<ServiceProcess> services = new ArrayList<>();

    @BeforeEach
    void start(TestInfo test) throws IOException {
        sink = new Sink();
        Path config = dir.resolve("workspaceConfig.json");
        Files.writeString(config, workspaceConfig(sink.url(), test.getTags().contains("batching")));
        database = TestPostgres.newDatabase();
        env = new HashMap<>(databaseEnv(database));
        env.put("WORKSPACE_CONFIG_PATH", config.toString());
        // retries in seconds rather than minutes, so a failing sink is retried within the test
        env.put("ROUTER_DEFAULTS_MINBACKOFF", "1s");
        env.put("ROUTER_DEFAULTS_MAXBACKOFF", "2s");
        // the sink is on this machine's loopback, which the egress policy refuses unless allowed
        env.put("EGRESS_ALLOW", "127.0.0.1/32");
        // the transformer's webhook path, end to end (the default builds the WEBHOOK envelope in the processor)
        env.put("PROCESSOR_WEBHOOK_IN_PROCESS", "false");
        ServiceProcess transformer = start("transformer-service");
        env.put("DEST_TRANSFORM_URL", transformer.url(""));
        start("gateway-service");
        start("processor-service");
        start("router-service");
        services.forEach(ServiceProcess::awaitHealthy);
    }

    @AfterEach
    void stop() {
        for (ServiceProcess s : services) s.close();
        sink.close();
    }

    private ServiceProcess start(String module) {
        ServiceProcess process = ServiceProcess.start(module, env);
        services.add(process);
        return process;
    }

    private ServiceProcess service(String module) {
        return services.stream()
                .filter(s -> s.module.equals(module))
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    @Test
    void eventsReachTheSinkEnrichedOnceEachAndInOrderPerUser() throws Exception {
        postBatches(10, 20); // 10 users x 20 events, interleaved

        Awaitility.await()
                .atMost(Duration.ofMinutes(2))
                .until(() -> firstArrivals().size() >= 200);
        assertStoredOnceDeliveredInOrder(10, 20);
        JsonNode first = sink.accepted.getFirst();
        assertThat(first.path("messageId").asString()).isNotEmpty();
        assertThat(first.path("rudderId").asString()).hasSize(36);
        assertThat(first.path("receivedAt").asString()).isNotEmpty();
        assertThat(first.path("timestamp").asString()).isNotEmpty();
        assertThat(first.path("context").path("ip").asString()).isEqualTo("127.0.0.1");

        // live events: what the processor received and what the router did, newest first, joined by messageId
        String messageId = first.path("messageId").asString();
        JsonNode received = getJson(service("processor-service")
                .url("/api/v1/events/recent?workspaceId=ws-system&limit=500&sourceId=src-1"));
        assertThat(received).hasSize(200);
        assertThat(received.get(0).path("jobId").asLong())
                .isGreaterThan(received.get(199).path("jobId").asLong());
        JsonNode gwJob = find(received, messageId);
        assertThat(gwJob.path("state").asString()).isEqualTo("succeeded");
        assertThat(gwJob.path("payload").path("event").asString()).isEqualTo("Step");
        assertThat(gwJob.toString()).doesNotContain(WRITE_KEY);
        JsonNode routed = getJson(service("router-service")
                .url("/api/v1/jobs/recent?workspaceId=ws-system&limit=500&destinationId=dst-1"));
        JsonNode rtJob = find(routed, messageId);
        assertThat(rtJob.path("state").asString()).isEqualTo("succeeded");
        assertThat(rtJob.path("errorCode").asString()).isEqualTo("200");

        // each event went through the transformer's webhook destination, not the processor's envelope
        assertThat(destinationTransforms(service("transformer-service"))).isGreaterThanOrEqualTo(200);

        // the check reads a processor double where it would be: a second rt job of an event, as a second commit of
        // its gw job would store (made here by copying one; the router may deliver it too, after the read)
        try (java.sql.Connection c = database.connect();
                var copy = c.prepareStatement("INSERT INTO rt_jobs (job_id, workspace_id, uuid, user_id, partition_id,"
                        + " parameters, custom_val, event_payload, event_count, payload_size)"
                        + " SELECT nextval('rt_job_id_seq'), workspace_id, gen_random_uuid(), user_id, partition_id,"
                        + " parameters, custom_val, event_payload, event_count, payload_size FROM rt_jobs"
                        + " WHERE parameters->>'message_id' = ?")) {
            copy.setString(1, messageId);
            assertThat(copy.executeUpdate()).isEqualTo(1);
        }
        DoubleCheck.Verdict doubled =
                DoubleCheck.judge(200, DoubleCheck.read(database, null), DoubleCheck.arrivals(sink.accepted, null));
        assertThat(doubled.problems())
                .anySatisfy(p -> assertThat(p).startsWith("processor double: " + messageId + " has 2 rt jobs"));
    }

    /** The transformer's successful destination transformations ({@code transformer_invocations_total}). */
    private static double destinationTransforms(ServiceProcess transformer) throws Exception {
        HttpResponse<String> response = HTTP.send(
                ServiceToken.authorize(HttpRequest.newBuilder(URI.create(transformer.url("/actuator/prometheus"))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        double total = 0;
        for (String line : response.body().split("\n"))
            if (line.startsWith("transformer_invocations_total{")
                    && line.contains("kind=\"destination\"")
                    && line.contains("result=\"success\""))
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        return total;
    }

    private static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(
                ServiceToken.authorize(HttpRequest.newBuilder(URI.create(url))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return dev.eventpipe.model.json.Json.mapper().readTree(response.body());
    }

    private static JsonNode find(JsonNode items, String messageId) {
        for (JsonNode item : items) if (messageId.equals(item.path("messageId").asString())) return item;
        throw new AssertionError("no item with messageId " + messageId + " in " + items.size() + " items");
    }

    @Test
    void aFailingSinkDelaysAUserWithoutReorderingAndEveryEventArrives() throws Exception {
        sink.failNext.set(3);
        postBatches(4, 10);

        Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .until(() -> firstArrivals().size() >= 40);
        assertThat(sink.rejected.get()).isEqualTo(3);
        assertStoredOnceDeliveredInOrder(4, 10);
    }

    @Test
    void killingTheProcessorMidRunLosesAndDoublesNothing() throws Exception {
        postBatches(20, 50); // 1,000 events
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> !sink.accepted.isEmpty());
        service("processor-service").kill();
        postBatches(20, 50, 50); // 1,000 more while it is down
        start("processor-service").awaitHealthy();

        Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .until(() -> firstArrivals().size() >= 2_000);
        assertStoredOnceDeliveredInOrder(20, 100);
    }

    @Test
    void killingTheProcessorWithSeveralBatchesInFlightLosesDoublesAndReordersNothing() throws Exception {
        // a processor with small batches, started on a backlog, so several batches are between fetch and commit
        assertThat(service("processor-service").stop(Duration.ofSeconds(60))).isTrue();
        postBatches(20, 100); // 2,000 events while no processor runs
        env.put("PROCESSOR_BATCH_MAX_JOBS", "20");
        ServiceProcess processor = start("processor-service").awaitHealthy();
        Awaitility.await()
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> batchesInFlight(processor) >= 2);
        processor.kill(); // kill -9 with batches fetched (their gw jobs still without a status) and not committed
        assertThat(firstArrivals().size()).isLessThan(2_000);
        postBatches(20, 50, 100); // 1,000 more while it is down
        start("processor-service").awaitHealthy();

        Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .until(() -> firstArrivals().size() >= 3_000);
        Awaitility.await()
                .during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(10))
                .until(() -> firstArrivals().size() == 3_000);
        assertStoredOnceDeliveredInOrder(20, 150);
    }

    /** The processor's {@code processor_pipeline_batches_in_flight} gauge; 0 when it does not answer. */
    private static double batchesInFlight(ServiceProcess processor) {
        try {
            HttpResponse<String> response = HTTP.send(
                    ServiceToken.authorize(HttpRequest.newBuilder(URI.create(processor.url("/actuator/prometheus"))))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : response.body().split("\n"))
                if (line.startsWith("processor_pipeline_batches_in_flight"))
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            return 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Tag("batching")
    void aBatchingWebhookGetsManyUsersPerRequestAndSurvivesFailuresAndARouterKill() throws Exception {
        sink.failNext.set(2);
        postBatches(10, 30);
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> !sink.accepted.isEmpty());
        service("router-service").kill();
        postBatches(10, 30, 30); // while the router is down
        start("router-service").awaitHealthy();

        Awaitility.await()
                .atMost(Duration.ofMinutes(3))
                .until(() -> firstArrivals().size() >= 600);
        assertThat(sink.rejected.get()).isEqualTo(2);
        // a kill between the sink's answer and the status commit sends that batch again (at least once)
        Map<String, List<Integer>> byUser = new HashMap<>();
        firstArrivals()
                .forEach(e -> byUser.computeIfAbsent(e.path("userId").asString(), u -> new ArrayList<>())
                        .add(e.path("properties").path("seq").asInt()));
        assertThat(byUser).hasSize(10);
        byUser.forEach((user, seqs) -> assertThat(seqs).as(user).hasSize(60).isSorted());
        assertThat(sink.requests.size()).isLessThan(300);
        assertThat(sink.requests.stream().mapToInt(Integer::intValue).max().orElseThrow())
                .isGreaterThan(1);
    }

    /** Each accepted event the first time it arrived, in arrival order. */
    private List<JsonNode> firstArrivals() {
        Set<String> seen = new HashSet<>();
        return sink.accepted.stream()
                .filter(e -> seen.add(e.path("messageId").asString()))
                .toList();
    }

    /**
     * The processor stored every event once (one rt job each, no gw job succeeded twice: {@link DoubleCheck}), an
     * event the sink got twice is a router retry after an attempt the router saw no answer to (at least once: counted
     * and printed), and each user's events arrived, first arrivals, all and in the order sent.
     */
    private void assertStoredOnceDeliveredInOrder(int users, int perUser) {
        DoubleCheck.assertProcessorDoubledNothing(database, (long) users * perUser, null, sink.accepted);
        Map<String, List<Integer>> byUser = new HashMap<>();
        firstArrivals()
                .forEach(e -> byUser.computeIfAbsent(e.path("userId").asString(), u -> new ArrayList<>())
                        .add(e.path("properties").path("seq").asInt()));
        assertThat(byUser).hasSize(users);
        byUser.forEach(
                (user, seqs) -> assertThat(seqs).as(user).hasSize(perUser).isSorted());
    }

    private void postBatches(int users, int perUser) throws Exception {
        postBatches(users, perUser, 0);
    }

    /** Posts one /v1/batch per round, each holding the next event of every user. */
    private void postBatches(int users, int perUser, int firstSeq) throws Exception {
        String gateway = service("gateway-service").url("/v1/batch");
        String auth = "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
        for (int seq = firstSeq; seq < firstSeq + perUser; seq++) {
            StringBuilder batch = new StringBuilder("{\"batch\":[");
            for (int u = 0; u < users; u++) {
                if (u > 0) batch.append(',');
                batch.append("""
                        {"type":"track","event":"Step","userId":"user-%d","anonymousId":"anon-%d",\
                        "properties":{"seq":%d},"sentAt":"2026-01-01T00:00:01.000Z",\
                        "originalTimestamp":"2026-01-01T00:00:00.000Z"}""".formatted(u, u, seq));
            }
            batch.append("]}");
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway))
                    .header("Authorization", auth)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(batch.toString()))
                    .build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    private static Map<String, String> databaseEnv(TestPostgres.Database db) {
        Matcher m =
                Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+).*").matcher(db.url());
        if (!m.matches()) throw new IllegalStateException("unexpected test database url " + db.url());
        return Map.of(
                "JOBS_DB_HOST", m.group(1),
                "JOBS_DB_PORT", m.group(2),
                "JOBS_DB_DB_NAME", m.group(3),
                "JOBS_DB_USER", db.user(),
                "JOBS_DB_PASSWORD", db.password());
    }

    private static String workspaceConfig(String sinkUrl, boolean batching) {
        return """
                {"workspaceId":"ws-system","sources":[{"id":"src-1","name":"System test source",\
                "writeKey":"%s","workspaceId":"ws-system","enabled":true,\
                "sourceDefinition":{"id":"def-http","name":"HTTP","category":""},\
                "destinations":[{"id":"dst-1","name":"Sink","workspaceId":"ws-system","enabled":true,\
                "isProcessorEnabled":true,"config":{"webhookUrl":"%s","webhookMethod":"POST","enableBatching":%s},\
                "destinationDefinition":{"id":"def-webhook","name":"WEBHOOK","displayName":"Webhook",\
                "config":{"supportedMessageTypes":["alias","group","identify","page","screen","track"]}}}]}]}""".formatted(WRITE_KEY, sinkUrl, batching);
    }
}
