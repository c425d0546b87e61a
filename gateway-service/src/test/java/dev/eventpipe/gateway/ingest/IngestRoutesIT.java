package dev.eventpipe.gateway.ingest;

import static dev.eventpipe.gateway.support.TestWorkspace.DISABLED_WRITE_KEY;
import static dev.eventpipe.gateway.support.TestWorkspace.SOURCE_ID;
import static dev.eventpipe.gateway.support.TestWorkspace.WEBHOOK_SOURCE_ID;
import static dev.eventpipe.gateway.support.TestWorkspace.WEBHOOK_WRITE_KEY;
import static dev.eventpipe.gateway.support.TestWorkspace.WORKSPACE_ID;
import static dev.eventpipe.gateway.support.TestWorkspace.WRITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.gateway.support.GatewayClient;
import dev.eventpipe.gateway.support.StoredJobs;
import dev.eventpipe.gateway.support.StoredJobs.StoredJob;
import dev.eventpipe.gateway.support.TestWorkspace;
import dev.eventpipe.testkit.TestPostgres;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Every ingestion route and every error answer, over real HTTP, checked against the rows in gw_jobs. (Over 300
 * lines on purpose: one class keeps all routes in one Spring context and one database, instead of one per route.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IngestRoutesIT {
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry);
        registry.add("workspace-config.path", TestWorkspace::write);
        registry.add("SERVICE_TOKEN", () -> GatewayClient.SERVICE_TOKEN);
    }

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    GatewayClient gateway;
    StoredJobs stored;
    String anon;

    @BeforeEach
    void setUp() {
        gateway = new GatewayClient(port);
        stored = new StoredJobs(dataSource);
        anon = "anon-" + UUID.randomUUID();
    }

    private String event(String extra) {
        return "{\"anonymousId\":\"" + anon + "\"" + extra + "}";
    }

    private static void assertOk(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
    }

    private void assertRefused(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(message + "\n");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(stored.containing(anon)).isEmpty();
    }

    @Test
    void aTrackEventIsStoredAsOneEnrichedJobBeforeOkIsAnswered() {
        HttpRequest request = gateway.request("/v1/track")
                .header("Authorization", GatewayClient.basic(WRITE_KEY))
                .header("AnonymousId", "header-anon")
                .header("X-Forwarded-For", " 1.2.3.4 , 5.6.7.8")
                .header("traceparent", "00-abc-def-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"zeta\":{\"b\":1,\"a\":2},\"type\":\"identify\","
                        + "\"event\":\"Clicked\",\"userId\":\"u-1\",\"anonymousId\":\"" + anon
                        + "\",\"alpha\":[true,null]}"))
                .build();
        HttpResponse<String> response = gateway.send(request);

        assertOk(response);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");
        List<StoredJob> jobs = stored.containing(anon);
        assertThat(jobs).hasSize(1);
        StoredJob job = jobs.getFirst();
        assertThat(job.userId()).isEqualTo("header-anon<<>>" + anon + "<<>>u-1");
        assertThat(job.workspaceId()).isEqualTo(WORKSPACE_ID);
        assertThat(job.customVal()).isEqualTo("GW");
        JsonNode parameters = job.parametersJson();
        assertThat(parameters.get("source_id").stringValue()).isEqualTo(SOURCE_ID);
        assertThat(parameters.get("source_category").stringValue()).isEqualTo("eventStream");
        assertThat(parameters.get("traceparent").stringValue()).isEqualTo("00-abc-def-01");
        JsonNode payload = job.payloadJson();
        assertThat(payload.propertyNames()).containsExactly("batch", "requestIP", "writeKey", "receivedAt");
        assertThat(payload.get("requestIP").stringValue()).isEqualTo("1.2.3.4");
        assertThat(payload.get("writeKey").stringValue()).isEqualTo(WRITE_KEY);
        JsonNode event = job.event();
        assertThat(event.propertyNames())
                .containsExactly(
                        "zeta",
                        "type",
                        "event",
                        "userId",
                        "anonymousId",
                        "alpha",
                        "rudderId",
                        "receivedAt",
                        "request_ip",
                        "messageId");
        assertThat(event.get("zeta").propertyNames()).containsExactly("b", "a");
        assertThat(event.get("type").stringValue()).isEqualTo("track");
        assertThat(event.get("request_ip").stringValue()).isEqualTo("1.2.3.4");
        assertThat(event.get("rudderId").stringValue())
                .isEqualTo(dev.eventpipe.model.event.RudderId.of("u-1", anon).toString());
        assertThat(event.get("receivedAt").stringValue())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(UUID.fromString(event.get("messageId").stringValue()).version())
                .isEqualTo(4);
    }

    @Test
    void everySingleEventRouteSetsItsOwnType() {
        List<String> types = List.of("identify", "page", "screen", "group", "alias", "merge");
        for (String type : types) {
            assertOk(gateway.post("/v1/" + type, WRITE_KEY, event(",\"type\":\"track\"")));
        }
        List<String> storedTypes = new ArrayList<>();
        stored.containing(anon)
                .forEach(j -> storedTypes.add(j.event().get("type").stringValue()));
        assertThat(storedTypes).containsExactlyElementsOf(types);
    }

    @Test
    void aBatchIsStoredAsOneJobPerEventKeepingEachEventsType() {
        String body = "{\"batch\":[" + event(",\"type\":\"identify\",\"messageId\":\"m1\"") + ","
                + event(",\"type\":\"track\",\"event\":\"e\",\"messageId\":\"m2\"") + ","
                + "{\"userId\":\"user-" + anon + "\",\"type\":\"page\",\"messageId\":\"m3\"}]}";
        assertOk(gateway.post("/v1/batch", WRITE_KEY, body));

        List<StoredJob> jobs = stored.containing(anon);
        assertThat(jobs)
                .extracting(j -> j.event().get("type").stringValue())
                .containsExactly("identify", "track", "page");
        assertThat(jobs)
                .extracting(j -> j.event().get("messageId").stringValue())
                .containsExactly("m1", "m2", "m3");
        assertThat(jobs.get(2).userId()).isEqualTo("<<>>user-" + anon + "<<>>user-" + anon);
    }

    @Test
    void importIsStoredLikeABatch() {
        assertOk(gateway.post("/v1/import", WRITE_KEY, "{\"batch\":[" + event("") + "," + event("") + "]}"));
        assertThat(stored.containing(anon)).hasSize(2);
    }

    @Test
    void gzippedBodiesAreAcceptedAndCorruptGzipIsInvalidJson() {
        byte[] zipped = GatewayClient.gzip(("{\"batch\":[" + event("") + "]}").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = gateway.request("/v1/batch")
                .header("Authorization", GatewayClient.basic(WRITE_KEY))
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zipped))
                .build();
        assertOk(gateway.send(request));
        assertThat(stored.containing(anon)).hasSize(1);

        String other = "anon-" + UUID.randomUUID();
        byte[] corrupt = GatewayClient.gzip(("{\"anonymousId\":\"" + other + "\"}").getBytes(StandardCharsets.UTF_8));
        corrupt[corrupt.length / 2] ^= 0x5a;
        corrupt[corrupt.length - 3] ^= 0x5a;
        HttpResponse<String> broken = gateway.send(gateway.request("/v1/track")
                .header("Authorization", GatewayClient.basic(WRITE_KEY))
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(corrupt))
                .build());
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(stored.containing(other)).isEmpty();
    }

    @Test
    void aGzipBombStopsAtTheSizeLimit() {
        byte[] bomb = GatewayClient.gzip(("{\"anonymousId\":\"" + anon + "\",\"p\":\"" + "a".repeat(10_000_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = gateway.send(gateway.request("/v1/track")
                .header("Authorization", GatewayClient.basic(WRITE_KEY))
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bomb))
                .build());
        assertRefused(response, 413, "request size exceeds max limit");
    }

    @Test
    void beaconTakesTheWriteKeyFromTheQueryWhateverTheContentType() {
        for (String contentType : List.of("text/plain;charset=UTF-8", "application/x-www-form-urlencoded")) {
            HttpResponse<String> response = gateway.send(gateway.request("/beacon/v1/batch?writeKey=" + WRITE_KEY)
                    .header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"batch\":[" + event("") + "]}"))
                    .build());
            assertOk(response);
        }
        assertThat(stored.containing(anon)).hasSize(2);

        HttpResponse<String> noKey = gateway.send(gateway.request("/beacon/v1/batch")
                .POST(HttpRequest.BodyPublishers.ofString("{\"batch\":[" + event("") + "]}"))
                .build());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(noKey.body()).isEqualTo("failed to read writekey from query params\n");
        assertThat(stored.containing(anon)).hasSize(2);
    }

    @Test
    void aPixelIsAlwaysAGifAndStoresTheQueryAsAnEvent() {
        HttpResponse<byte[]> track = gateway.sendForBytes(gateway.request("/pixel/v1/track?writeKey=" + WRITE_KEY
                        + "&anonymousId=%22" + anon + "%22&event=Opened+Mail&context.page.url=https%3A%2F%2Fx.io")
                .GET()
                .build());
        assertThat(track.statusCode()).isEqualTo(200);
        assertThat(track.headers().firstValue("Content-Type")).hasValue("image/gif");
        assertThat(track.body()).startsWith("GIF89a".getBytes(StandardCharsets.US_ASCII));

        HttpResponse<byte[]> page = gateway.sendForBytes(
                gateway.request("/pixel/v1/page?writeKey=" + WRITE_KEY + "&anonymousId=" + anon + "&name=")
                        .GET()
                        .build());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("image/gif");

        List<StoredJob> jobs = stored.containing(anon);
        assertThat(jobs).hasSize(2);
        JsonNode trackEvent = jobs.get(0).event();
        assertThat(trackEvent.get("type").stringValue()).isEqualTo("track");
        assertThat(trackEvent.get("event").stringValue()).isEqualTo("Opened Mail");
        assertThat(trackEvent.get("anonymousId").stringValue()).isEqualTo(anon);
        assertThat(trackEvent.get("channel").stringValue()).isEqualTo("web");
        assertThat(trackEvent.get("integrations").get("All").booleanValue()).isTrue();
        assertThat(trackEvent.get("context").get("page").get("url").stringValue())
                .isEqualTo("https://x.io");
        assertThat(trackEvent.has("writeKey")).isFalse();
        assertThat(jobs.get(1).event().get("name").stringValue()).isEqualTo("Unknown Page");
    }

    @Test
    void aPixelWithABadWriteKeyOrAnEmptyEventStillAnswersTheGifAndStoresNothing() {
        for (String query : List.of(
                "?writeKey=nope&anonymousId=" + anon + "&event=x",
                "?anonymousId=" + anon + "&event=x",
                "?writeKey=" + WRITE_KEY + "&anonymousId=" + anon + "&event=")) {
            HttpResponse<byte[]> response = gateway.sendForBytes(
                    gateway.request("/pixel/v1/track" + query).GET().build());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("image/gif");
        }
        assertThat(stored.containing(anon)).isEmpty();
    }

    @Test
    void aWebhookBodyBecomesATrackEventOfTheWebhookSource() {
        String marker = "hook-" + UUID.randomUUID();
        HttpResponse<String> byQuery = gateway.send(gateway.request("/v1/webhook?writeKey=" + WEBHOOK_WRITE_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"order\":\"" + marker + "\",\"total\":12.5}"))
                .build());
        assertOk(byQuery);
        assertOk(gateway.post("/v1/webhook", WEBHOOK_WRITE_KEY, "{\"order\":\"" + marker + "\"}"));

        List<StoredJob> jobs = stored.containing(marker);
        assertThat(jobs).hasSize(2);
        JsonNode event = jobs.getFirst().event();
        assertThat(event.get("type").stringValue()).isEqualTo("track");
        assertThat(event.get("event").stringValue()).isEqualTo("webhook_source_event");
        assertThat(event.get("properties").get("total").doubleValue()).isEqualTo(12.5);
        assertThat(UUID.fromString(event.get("anonymousId").stringValue())).isNotNull();
        assertThat(jobs.getFirst().parametersJson().get("source_id").stringValue())
                .isEqualTo(WEBHOOK_SOURCE_ID);
        assertThat(jobs.getFirst().parametersJson().get("source_category").stringValue())
                .isEqualTo("webhook");
    }

    @Test
    void aWebhookNeedsTheKeyOfAWebhookSourceAndValidJson() {
        String body = "{\"order\":\"" + anon + "\"}";
        HttpRequest noKey = gateway.request("/v1/webhook")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        assertRefused(gateway.send(noKey), 401, "failed to read writekey from query params");
        assertRefused(gateway.post("/v1/webhook", WRITE_KEY, body), 401, "invalid write key");
        assertRefused(gateway.post("/v1/webhook?writeKey=nope", null, body), 401, "invalid write key");
        assertRefused(gateway.post("/v1/webhook", WEBHOOK_WRITE_KEY, "{\"order\":\"" + anon), 400, "invalid json");
    }

    @Test
    void writeKeyProblemsAreAnsweredWithRudderStacksCodesAndBodies() {
        assertRefused(gateway.post("/v1/track", null, event("")), 401, "failed to read writekey from header");
        assertRefused(gateway.post("/v1/track", "", event("")), 401, "failed to read writekey from header");
        assertRefused(gateway.post("/v1/batch", "unknown", event("")), 401, "invalid write key");
        assertRefused(gateway.post("/v1/track", DISABLED_WRITE_KEY, event("")), 404, "source is disabled");
    }

    @Test
    void invalidBodiesAreAnsweredWithRudderStacksCodesAndBodies() {
        assertRefused(gateway.post("/v1/track", WRITE_KEY, event("") + "}"), 400, "invalid json");
        assertRefused(
                gateway.post("/v1/batch", WRITE_KEY, "{\"batch\":[" + event("") + ",\"x\"]}"),
                400,
                "event is not a valid rudder event");
        assertRefused(
                gateway.post("/v1/track", WRITE_KEY, "[" + event("") + "]"), 400, "event is not a valid rudder event");
        assertRefused(
                gateway.post("/v1/track", WRITE_KEY, "{\"event\":\"" + anon + "\"}"),
                400,
                "request neither has anonymousId nor userId");
        assertRefused(
                gateway.post("/v1/batch", WRITE_KEY, "{\"batch\":[], \"x\":\"" + anon + "\"}"),
                400,
                "empty batch payload");
        assertRefused(
                gateway.post("/v1/batch", WRITE_KEY, "{\"notBatch\":[" + event("") + "]}"), 400, "empty batch payload");
    }

    @Test
    void aBodyOverTheLimitIsAnswered413EvenWhenItIsOnlyWhitespace() {
        String padding = "x".repeat(4_100_000);
        assertRefused(
                gateway.post("/v1/track", WRITE_KEY, event(",\"p\":\"" + padding + "\"")),
                413,
                "request size exceeds max limit");
        byte[] whitespace = (" ".repeat(5_000_000) + event("")).getBytes(StandardCharsets.UTF_8);
        assertRefused(gateway.post("/v1/track", WRITE_KEY, whitespace), 413, "request size exceeds max limit");
        byte[] someWhitespace = (" \n\t".repeat(1_000_000) + "}" + event("")).getBytes(StandardCharsets.UTF_8);
        assertRefused(gateway.post("/v1/track", WRITE_KEY, someWhitespace), 400, "invalid json");
        assertOk(gateway.post("/v1/track", WRITE_KEY, " ".repeat(3_000_000) + event("")));
        assertThat(stored.containing(anon)).hasSize(1);
    }

    @Test
    void hostileBodiesGet400AndStoreNothing() {
        byte[] invalidUtf8 = event(",\"event\":\"ab\"").getBytes(StandardCharsets.UTF_8);
        invalidUtf8[invalidUtf8.length - 4] = (byte) 0xff;
        assertRefused(gateway.post("/v1/track", WRITE_KEY, invalidUtf8), 400, "invalid json");
        String deep = "[".repeat(200) + "]".repeat(200);
        assertRefused(gateway.post("/v1/track", WRITE_KEY, event(",\"p\":" + deep)), 400, "invalid json");
        assertRefused(gateway.post("/v1/track", WRITE_KEY, event(",\"n\":1e999")), 400, "invalid json");
        // an integer of 350 digits: within the length limit but Infinity as a double (review 1330 P1-1)
        assertRefused(gateway.post("/v1/track", WRITE_KEY, event(",\"n\":1" + "0".repeat(350))), 400, "invalid json");
        assertRefused(
                gateway.post("/v1/track", WRITE_KEY, event(",\"n\":" + "7".repeat(100_000))), 400, "invalid json");
        assertRefused(
                gateway.post("/v1/track", WRITE_KEY, event(",\"userId\":{\"$gt\":\"\"}")),
                400,
                "event is not a valid rudder event");
        assertRefused(
                gateway.post("/v1/track", WRITE_KEY, event(",\"context\":[]")),
                400,
                "event is not a valid rudder event");
    }

    @Test
    void aNulCharacterInAStringIsAcceptedAndStoredAsSent() {
        assertOk(gateway.post("/v1/track", WRITE_KEY, event(",\"event\":\"a\\u0000b\"")));
        List<StoredJob> jobs = stored.containing(anon);
        assertThat(jobs).hasSize(1);
        assertThat(jobs.getFirst().payload()).contains("\"event\":\"a\\u0000b\"");
        assertThat(jobs.getFirst().event().get("event").stringValue()).isEqualTo("a\u0000b");
    }

    @Test
    void runIdsThatJsonbRefusesNeitherFailTheirRequestNorTheOthersInTheSameCommit() throws Exception {
        List<String> hostile = List.of("\\u0000", "a\\u0000b", "\\ud800", "\\udfffx");
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String extra = i % 10 == 0
                    ? ",\"context\":{\"sources\":{\"job_run_id\":\"" + hostile.get(i / 10) + "\",\"task_run_id\":\""
                            + hostile.get(i / 10) + "\"}}"
                    : ",\"messageId\":\"m-" + i + "\"";
            answers.add(java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> gateway.post("/v1/track", WRITE_KEY, event(extra))));
        }
        for (var answer : answers) assertOk(answer.get());

        List<StoredJob> jobs = stored.containing(anon);
        assertThat(jobs).hasSize(40);
        List<String> runIds = jobs.stream()
                .map(j -> j.parametersJson().path("source_job_run_id").stringValue())
                .filter(id -> !id.isEmpty())
                .sorted()
                .toList();
        assertThat(runIds).containsExactly("a\ufffdb", "\ufffd", "\ufffd", "\ufffdx");
        // the payload keeps what was sent, escape for escape
        assertThat(jobs).anySatisfy(j -> assertThat(j.payload()).contains("\"job_run_id\":\"a\\u0000b\""));
    }

    @Test
    void healthVersionAndRobotsAnswerInRudderStacksShapes() {
        for (String path : List.of("/health", "/")) {
            HttpResponse<String> health = gateway.get(path);
            assertThat(health.statusCode()).isEqualTo(200);
            JsonNode body = dev.eventpipe.model.json.Json.mapper().readTree(health.body());
            assertThat(body.get("db").stringValue()).isEqualTo("UP");
            assertThat(body.get("server").stringValue()).isEqualTo("UP");
            assertThat(body.get("backendConfigMode").stringValue()).isEqualTo("JSON");
            assertThat(body.get("lastSync").stringValue()).isNotEmpty();
        }
        JsonNode version = dev.eventpipe.model.json.Json.mapper()
                .readTree(gateway.get("/version").body());
        assertThat(version.propertyNames()).containsExactly("Version", "Commit", "BuildDate", "BuiltBy", "Features");
        HttpResponse<String> robots = gateway.get("/robots.txt");
        assertThat(robots.body()).isEqualTo("User-agent: * \nDisallow: / \n");
    }

    @Test
    void corsAllowsEveryOriginWithCredentialsAndEveryHeader() {
        HttpResponse<String> preflight = gateway.send(gateway.request("/v1/batch")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://shop.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,anonymousid")
                .build());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue("https://shop.example");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials"))
                .hasValue("true");
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).hasValue("900");
        assertThat(preflight
                        .headers()
                        .firstValue("Access-Control-Allow-Headers")
                        .orElse("")
                        .toLowerCase())
                .contains("authorization", "anonymousid");

        HttpResponse<String> post = gateway.send(gateway.request("/v1/track")
                .header("Origin", "https://shop.example")
                .header("Authorization", GatewayClient.basic(WRITE_KEY))
                .POST(HttpRequest.BodyPublishers.ofString(event("")))
                .build());
        assertOk(post);
        assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example");
    }

    @Test
    void requestsEventsBatchSizesAndCommitLatencyAreExposedAsMetrics() {
        assertOk(gateway.post("/v1/batch", WRITE_KEY, "{\"batch\":[" + event("") + "," + event("") + "]}"));
        gateway.post("/v1/batch", "unknown", event(""));
        // the gateway faces the internet; its metrics answer only the scraper's service token (review P2-7)
        assertThat(gateway.get("/actuator/prometheus").statusCode()).isEqualTo(401);
        assertThat(gateway.get("/actuator/metrics").statusCode()).isEqualTo(401);
        assertThat(gateway.get("/health/live").statusCode()).isEqualTo(200);
        String metrics = gateway.metrics("/actuator/prometheus").body();
        assertThat(metrics)
                .contains("gateway_requests_total{reqType=\"batch\",result=\"ok\",source=\"" + SOURCE_ID + "\"}")
                .contains("gateway_requests_total{reqType=\"batch\",result=\"invalid_write_key\",source=\"none\"}")
                .contains("gateway_events_total{reqType=\"batch\",result=\"ok\",source=\"" + SOURCE_ID + "\"}")
                .contains("gateway_batch_size_events_count")
                .contains("gateway_commit_latency_seconds_count");
        assertThat(metrics).doesNotContain(anon);
    }
}
