package dev.eventpipe.gateway.sdkconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.eventpipe.gateway.support.GatewayClient;
import dev.eventpipe.gateway.support.StoredJobs;
import dev.eventpipe.gateway.support.StoredJobs.StoredJob;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * What browser, mobile and Segment SDKs need from the gateway beyond the RudderStack routes: the source config,
 * Segment's settings and short routes, the write key in the body, Segment-shaped answers, CORS, and every workspace
 * of the control plane served. The config comes from a stand-in control plane in namespace mode (two workspaces),
 * which a test stops to show the SDK config keeps being served.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SdkRoutesIT {
    static final String KEY_A = "wk-alpha";
    static final String KEY_B = "wk-beta";
    static final String KEY_OFF = "wk-off";

    private static final String NAMESPACE = """
            {"ws-a": {"workspaceId": "ws-a", "sources": [
               {"id": "src-a", "name": "Shop", "writeKey": "wk-alpha", "enabled": true, "workspaceId": "ws-a",
                "config": {}, "sourceDefinition": {"name": "Javascript", "category": ""}, "destinations": [
                 {"id": "cloud-hook", "name": "Hook", "enabled": true, "workspaceId": "ws-a",
                  "config": {"webhookUrl": "http://hooks.internal/very-private",
                             "headers": [{"from": "Authorization", "to": "Bearer cloud-secret-value"}]},
                  "destinationDefinition": {"id": "def-w", "name": "WEBHOOK", "displayName": "Webhook",
                                            "config": {"secretKeys": ["headers.to"]}}},
                 {"id": "ga4-device", "name": "GA4", "enabled": true, "workspaceId": "ws-a",
                  "config": {"connectionMode": "device", "measurementId": "G-TEST", "apiSecret": "device-secret-value"},
                  "destinationDefinition": {"id": "def-ga4", "name": "GA4", "displayName": "Google Analytics 4 (GA4)",
                                            "config": {"secretKeys": ["apiSecret"]}}}]},
               {"id": "src-off", "name": "Old", "writeKey": "wk-off", "enabled": false, "workspaceId": "ws-a",
                "sourceDefinition": {"name": "Javascript"}, "destinations": []}]},
             "ws-b": {"workspaceId": "ws-b", "sources": [
               {"id": "src-b", "name": "Blog", "writeKey": "wk-beta", "enabled": true, "workspaceId": "ws-b",
                "sourceDefinition": {"name": "Javascript"}, "destinations": []}]}}""";

    static final HttpServer CONTROL_PLANE = controlPlane();
    static final AtomicBoolean CONTROL_PLANE_UP = new AtomicBoolean(true);

    private static HttpServer controlPlane() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/data-plane/v1/namespaces/default/config", exchange -> {
                String expected = "Basic "
                        + Base64.getEncoder().encodeToString("instance-secret:".getBytes(StandardCharsets.UTF_8));
                int status = !CONTROL_PLANE_UP.get()
                        ? 503
                        : expected.equals(exchange.getRequestHeaders().getFirst("Authorization")) ? 200 : 401;
                byte[] body = status == 200 ? NAMESPACE.getBytes(StandardCharsets.UTF_8) : new byte[0];
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                if (body.length > 0) exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry);
        registry.add(
                "workspace-config.backend-url",
                () -> "http://127.0.0.1:" + CONTROL_PLANE.getAddress().getPort());
        registry.add("workspace-config.namespace", () -> "default");
        registry.add("workspace-config.namespace-secret", () -> "instance-secret");
        registry.add("workspace-config.poll-interval", () -> "200ms");
    }

    @AfterAll
    static void stopControlPlane() {
        CONTROL_PLANE.stop(0);
    }

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    WorkspaceConfigClient config;

    GatewayClient gateway;
    StoredJobs stored;
    String marker;

    @BeforeEach
    void setUp() {
        CONTROL_PLANE_UP.set(true);
        gateway = new GatewayClient(port);
        stored = new StoredJobs(dataSource);
        marker = "m-" + UUID.randomUUID();
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = gateway.request(path).GET();
        headers.forEach(request::header);
        return gateway.send(request.build());
    }

    private HttpResponse<String> postText(String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = gateway.request(path)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return gateway.send(request.build());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body());
    }

    // --- RudderStack's /sourceConfig ---------------------------------------------------------------------------

    @Test
    void theJsSdksSourceConfigRequestIsAnsweredWithTheSourceItsKeyNames() {
        HttpResponse<String> response = get(
                "/sourceConfig/?p=npm&v=3.34.1&build=modern&writeKey=" + KEY_A
                        + "&lockIntegrationsVersion=false&lockPluginsVersion=false",
                Map.of("Authorization", GatewayClient.basic(KEY_A), "Accept", "application/json"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json(response);
        assertThat(body.at("/source/id").asString()).isEqualTo("src-a");
        assertThat(body.at("/source/name").asString()).isEqualTo("Shop");
        assertThat(body.at("/source/workspaceId").asString()).isEqualTo("ws-a");
        assertThat(body.at("/source/writeKey").asString()).isEqualTo(KEY_A);
        assertThat(body.at("/source/enabled").asBoolean()).isTrue();
        assertThat(body.at("/source/config").isObject()).isTrue();
        assertThat(body.at("/consentManagementMetadata/providers").isArray()).isTrue();
    }

    @Test
    void theMobileSdksFormWithoutSlashAndTheQueryKeyAloneGetTheSameBody() {
        String withSlash = get("/sourceConfig/", Map.of("Authorization", GatewayClient.basic(KEY_A)))
                .body();

        HttpResponse<String> mobile =
                get("/sourceConfig?p=android&v=1.25.0&bv=34", Map.of("Authorization", GatewayClient.basic(KEY_A)));
        HttpResponse<String> queryOnly = get("/sourceConfig?writeKey=" + KEY_A, Map.of());

        assertThat(mobile.statusCode()).isEqualTo(200);
        assertThat(mobile.body()).isEqualTo(withSlash);
        assertThat(queryOnly.body()).isEqualTo(withSlash);
    }

    @Test
    void onlyDeviceModeDestinationsAreListedAndNoDestinationSecretReachesTheBrowser() {
        HttpResponse<String> response = get("/sourceConfig/", Map.of("Authorization", GatewayClient.basic(KEY_A)));

        JsonNode destinations = json(response).at("/source/destinations");
        assertThat(destinations.size()).isEqualTo(1);
        assertThat(destinations.at("/0/id").asString()).isEqualTo("ga4-device");
        assertThat(destinations.at("/0/config/measurementId").asString()).isEqualTo("G-TEST");
        assertThat(destinations.at("/0/destinationDefinition/displayName").asString())
                .isEqualTo("Google Analytics 4 (GA4)");
        assertThat(response.body())
                .doesNotContain("cloud-secret-value", "device-secret-value", "hooks.internal", "cloud-hook");
    }

    @Test
    void aDisabledSourceSaysSoAndAnUnknownKeyIsRefusedAsRudderStackDoes() {
        HttpResponse<String> disabled = get("/sourceConfig/", Map.of("Authorization", GatewayClient.basic(KEY_OFF)));
        HttpResponse<String> unknown = get("/sourceConfig/", Map.of("Authorization", GatewayClient.basic("nope")));
        HttpResponse<String> none = get("/sourceConfig/", Map.of());

        assertThat(disabled.statusCode()).isEqualTo(200);
        assertThat(json(disabled).at("/source/enabled").asBoolean()).isFalse();
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body().toLowerCase()).contains("invalid write key"); // what the mobile SDKs look for
        assertThat(none.statusCode()).isEqualTo(401);
    }

    @Test
    void anUnchangedSourceConfigIsANotModified() {
        HttpResponse<String> first = get("/sourceConfig/", Map.of("Authorization", GatewayClient.basic(KEY_A)));
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again =
                get("/sourceConfig/", Map.of("Authorization", GatewayClient.basic(KEY_A), "If-None-Match", etag));

        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void theSourceConfigIsStillServedWhileTheControlPlaneIsDown() {
        String before = get("/sourceConfig/", Map.of("Authorization", GatewayClient.basic(KEY_B)))
                .body();

        CONTROL_PLANE_UP.set(false);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> config.lastError().isPresent()); // the gateway has seen the control plane fail
        HttpResponse<String> during = get("/sourceConfig/", Map.of("Authorization", GatewayClient.basic(KEY_B)));

        assertThat(during.statusCode()).isEqualTo(200);
        assertThat(during.body()).isEqualTo(before);
        assertThat(gateway.post("/v1/track", KEY_B, "{\"userId\":\"" + marker + "\",\"event\":\"During outage\"}")
                        .statusCode())
                .isEqualTo(200);
    }

    // --- CORS --------------------------------------------------------------------------------------------------

    @Test
    void preflightsOfEverySdkRouteAllowTheRequestedHeadersAndEchoTheOrigin() {
        String origin = "http://shop.localhost:4321";
        String headers = "authorization, anonymousid, content-type, sentat, rsa-retry-attempt, rsa-since-last-attempt,"
                + " rsa-recovered, x-retry-count";
        for (String path : List.of(
                "/sourceConfig/", "/v1/track", "/v1/batch", "/v1/t", "/v1/b", "/v1/m", "/v1/projects/wk/settings")) {
            String method = path.startsWith("/sourceConfig") || path.endsWith("settings") ? "GET" : "POST";
            HttpResponse<String> preflight = gateway.send(gateway.request(path)
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", origin)
                    .header("Access-Control-Request-Method", method)
                    .header("Access-Control-Request-Headers", headers)
                    .build());

            assertThat(preflight.statusCode()).as(path).isEqualTo(200);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                    .as(path)
                    .hasValue(origin);
            assertThat(preflight
                            .headers()
                            .firstValue("Access-Control-Allow-Headers")
                            .orElse("")
                            .toLowerCase())
                    .as(path)
                    .contains("authorization", "anonymousid", "sentat", "rsa-retry-attempt", "x-retry-count");
        }
        HttpResponse<String> actual =
                get("/sourceConfig/", Map.of("Authorization", GatewayClient.basic(KEY_A), "Origin", origin));
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue(origin);
    }

    // --- Segment's analytics.js -------------------------------------------------------------------------------

    @Test
    void segmentsSettingsPointAnalyticsJsAtThisGateway() {
        HttpResponse<String> response = get("/v1/projects/" + KEY_A + "/settings", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode segmentIo = json(response).at("/integrations/Segment.io");
        assertThat(segmentIo.get("apiKey").asString()).isEqualTo(KEY_A);
        assertThat(segmentIo.get("apiHost").asString()).isEqualTo("127.0.0.1:" + port + "/v1");
        assertThat(segmentIo.get("protocol").asString()).isEqualTo("http");
        assertThat(json(response).get("integrations").size()).isEqualTo(1); // nothing else to load from a CDN
        assertThat(json(response).get("remotePlugins").size()).isZero();
        assertThat(get("/v1/projects/nope/settings", Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void analyticsJsShortRoutesStoreEachTypeWithTheKeyInTheTextPlainBody() {
        Map<String, String> types =
                Map.of("t", "track", "p", "page", "i", "identify", "g", "group", "a", "alias", "s", "screen");
        types.forEach((letter, type) -> {
            String body = "{\"writeKey\":\"" + KEY_A + "\",\"type\":\"" + type + "\",\"anonymousId\":\"" + marker
                    + "\",\"event\":\"E " + letter + "\",\"groupId\":\"g\",\"previousId\":\"p\",\"userId\":\"u\"}";
            HttpResponse<String> response = postText("/v1/" + letter, Map.of(), body);
            assertThat(response.statusCode()).as(letter).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"success\":true}");
        });

        List<StoredJob> jobs = stored.containing(marker);
        assertThat(jobs).hasSize(6);
        assertThat(jobs)
                .extracting(j -> j.event().get("type").asString())
                .containsExactlyInAnyOrderElementsOf(types.values());
        assertThat(jobs).allSatisfy(j -> {
            assertThat(j.workspaceId()).isEqualTo("ws-a");
            assertThat(j.event().has("writeKey"))
                    .as("the credential is not kept in the event")
                    .isFalse();
        });
    }

    @Test
    void analyticsJsBatchesAndItsMetricsAreAcceptedAndOnlyTheEventsStored() {
        String batch = "{\"writeKey\":\"" + KEY_A + "\",\"sentAt\":\"2026-01-01T00:00:00.000Z\",\"batch\":["
                + "{\"type\":\"page\",\"anonymousId\":\"" + marker + "\",\"writeKey\":\"" + KEY_A + "\"},"
                + "{\"type\":\"track\",\"event\":\"Clicked\",\"anonymousId\":\"" + marker + "\"}]}";

        HttpResponse<String> response = postText("/v1/b", Map.of("Authorization", GatewayClient.basic(KEY_A)), batch);
        HttpResponse<String> metrics =
                postText("/v1/m", Map.of(), "{\"series\":[{\"type\":\"Counter\",\"m\":\"" + marker + "\"}]}");

        assertThat(response.body()).isEqualTo("{\"success\":true}");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(stored.containing(marker))
                .extracting(j -> j.event().get("type").asString())
                .containsExactly("page", "track");
    }

    // --- Segment's server SDKs and the answer rule -------------------------------------------------------------

    @Test
    void segmentsJavaSdkFormIsAcceptedAndAnsweredInSegmentsShape() {
        String batch = "{\"batch\":[{\"type\":\"track\",\"event\":\"Imported\",\"userId\":\"" + marker
                + "\"}],\"context\":{\"library\":{\"name\":\"analytics-java\"}},\"writeKey\":\"" + KEY_B + "\"}";

        HttpResponse<String> response = gateway.send(gateway.request("/v1/import/")
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "analytics-java/3.5.1")
                .POST(HttpRequest.BodyPublishers.ofString(batch))
                .build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"success\":true}");
        assertThat(stored.containing(marker)).singleElement().satisfies(j -> {
            assertThat(j.workspaceId()).isEqualTo("ws-b");
            assertThat(j.event().get("event").asString()).isEqualTo("Imported");
        });
    }

    @Test
    void rudderStacksClientsKeepRudderStacksExactBodies() {
        String event = "{\"userId\":\"" + marker + "\",\"event\":\"Curl\"}";

        HttpResponse<String> curl = gateway.post("/v1/track", KEY_A, event);
        HttpResponse<String> refused = gateway.post("/v1/track", "nope", event);
        HttpResponse<String> withSlash = gateway.post("/v1/track/", KEY_A, event);
        HttpResponse<String> segmentRefused =
                postText("/v1/import/", Map.of(), "{\"writeKey\":\"nope\",\"batch\":[" + event + "]}");

        assertThat(curl.body()).isEqualTo("ok");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).isEqualTo("invalid write key\n");
        assertThat(withSlash.body()).isEqualTo("{\"success\":true}");
        assertThat(segmentRefused.statusCode()).isEqualTo(401);
        assertThat(json(segmentRefused).get("success").asBoolean()).isFalse();
        assertThat(json(segmentRefused).get("message").asString()).isEqualTo("invalid write key");
    }

    @Test
    void aBodyWithoutAnyWriteKeyIsRefusedAndChangesNothing() {
        HttpResponse<String> response =
                postText("/v1/t", Map.of(), "{\"type\":\"track\",\"anonymousId\":\"" + marker + "\"}");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(stored.containing(marker)).isEmpty();
    }

    // --- every workspace, and the AnonymousId header ----------------------------------------------------------

    @Test
    void eachWorkspacesKeyStoresItsEventsInItsOwnWorkspace() {
        gateway.post("/v1/track", KEY_A, "{\"userId\":\"" + marker + "\",\"event\":\"A\"}");
        gateway.post("/v1/track", KEY_B, "{\"userId\":\"" + marker + "\",\"event\":\"B\"}");

        assertThat(stored.containing(marker))
                .extracting(StoredJob::workspaceId, j -> j.event().get("event").asString())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ws-a", "A"),
                        org.assertj.core.groups.Tuple.tuple("ws-b", "B"));
    }

    @Test
    void theJsSdksBase64AnonymousIdHeaderIsKeptAsSentLikeRudderStack() {
        String header = Base64.getEncoder().encodeToString(marker.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = gateway.send(gateway.request("/v1/page")
                .header("Content-Type", "application/json;charset=UTF-8")
                .header("Authorization", GatewayClient.basic(KEY_A))
                .header("AnonymousId", header)
                .POST(HttpRequest.BodyPublishers.ofString("{\"anonymousId\":\"" + marker + "\"}"))
                .build());

        assertThat(response.body()).isEqualTo("ok");
        assertThat(stored.containing(marker).getFirst().userId()).startsWith(header + "<<>>" + marker);
    }
}
