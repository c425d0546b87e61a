package dev.eventpipe.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.eventpipe.model.auth.ServiceToken;
import dev.eventpipe.model.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 14: one editor's transformation that fills the transformer's heap on every call must not hold other
 * tenants' events back. The real gateway, processor, transformer (512 MB heap, as every service here) and router
 * as separate processes on one PostgreSQL; two workspaces, each with a source and a webhook destination with a user
 * transformation, served by a small config backend in this JVM. Workspace {@code ws-hoard}'s code keeps arrays
 * until the heap guard stops it; workspace {@code ws-calm}'s code tags its events. Their events are sent
 * interleaved, so they share the processor's batches and the transformer.
 *
 * <p>What holds: every event of {@code ws-calm} is delivered (through the same processor batches and the same
 * transformer); every event of {@code ws-hoard} ends {@code aborted}, with a reason that says its transformation
 * filled the heap, visible in the processor's recent events and counted as failed transformations in its stats;
 * none of them reaches the sink. The transformer answered the hoarding version's request 503 (retryable: in the
 * shared transformer heap trouble never fails an event) at least once, then ran the version in a transformer
 * process of its own (a child JVM with its own heap), where its fills failed its events; once there, a further
 * event of it fails without any retryable answer.
 */
class HeapHoardIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String HOARD_KEY = "heap-hoard-write-key";
    private static final String CALM_KEY = "heap-calm-write-key";
    /** Keeps 1.6 MB every 2 ms until stopped: the heap guard wins over the engine's out-of-memory RangeError. */
    private static final String HOARD = """
            export function transformEvent(event) {
              const all = [];
              while (true) { all.push(new Float64Array(200000)); const t = Date.now() + 2; while (Date.now() < t) {} }
            }""";

    private static final String CALM = """
            export function transformEvent(event) { event.properties.calm = true; return event; }""";
    private static final int ROUNDS = 5;
    private static final int HOARD_PER_ROUND = 2;
    private static final int CALM_PER_ROUND = 20;

    @TempDir
    Path dir;

    @Test
    void aTransformationThatFillsTheHeapOnEveryCallFailsItsOwnEventsWhileAnotherWorkspacesAreDelivered()
            throws Exception {
        HttpServer code = codeServer(Map.of("v-hoard", HOARD, "v-calm", CALM));
        String codeUrl = "http://127.0.0.1:" + code.getAddress().getPort();
        try (Cluster cluster =
                new Cluster(dir, false, Map.of("CONFIG_BACKEND_URL", codeUrl), c -> workspaces(c.sink.url()))) {
            cluster.startPipeline();
            String gateway = cluster.gateways.getFirst().url("/v1/batch");

            List<String> calm = new ArrayList<>();
            List<String> hoard = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                hoard.addAll(send(gateway, HOARD_KEY, "hoard", round, HOARD_PER_ROUND));
                calm.addAll(send(gateway, CALM_KEY, "calm", round, CALM_PER_ROUND));
            }

            Awaitility.await("every event of ws-calm delivered")
                    .atMost(Duration.ofMinutes(8))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> delivered(cluster.sink).containsAll(calm));
            Awaitility.await("every event of ws-hoard aborted with its reason")
                    .atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() ->
                            aborted(cluster, "ws-hoard", "src-hoard").keySet().containsAll(hoard));

            Map<String, String> reasons = aborted(cluster, "ws-hoard", "src-hoard");
            System.out.println("ws-hoard's reasons: " + new HashSet<>(reasons.values()));
            for (String messageId : hoard) {
                assertThat(reasons.get(messageId))
                        .as(messageId)
                        .contains("user_transformation")
                        .containsAnyOf("filled the transformer's heap", "Not run: ");
            }
            assertThat(reasons.values()).anyMatch(r -> r.contains("again in a transformer process that runs it alone"));
            Set<String> delivered = delivered(cluster.sink);
            assertThat(delivered).doesNotContainAnyElementsOf(hoard);
            assertThat(cluster.sink.accepted)
                    .filteredOn(e -> e.path("messageId").asString().startsWith("calm-"))
                    .allSatisfy(
                            e -> assertThat(e.path("properties").path("calm").asBoolean())
                                    .isTrue());
            JsonNode stats = getJson(cluster.processors.getFirst().url("/api/v1/stats?workspaceId=ws-hoard"));
            assertThat(stats.path("totals").path("transformation_failed").asLong())
                    .isEqualTo(hoard.size());
            assertThat(getJson(cluster.processors.getFirst().url("/api/v1/stats?workspaceId=ws-calm"))
                            .path("totals")
                            .path("transformation_failed")
                            .asLong())
                    .isZero();

            // the heap guard ended the hoard in the shared transformer (503, retried) before the version got its own
            // process
            String transformer = cluster.transformer().url("/actuator/prometheus");
            long retried = counter(transformer, "transformer_heap_filled_total", "retried");
            long failed = counter(transformer, "transformer_heap_filled_total", "failed");
            System.out.println("transformer heap fills: retried " + retried + ", failed " + failed);
            assertThat(retried).isPositive();
            assertThat(failed).isPositive();

            // in its own process now: one more event of it fails without another retryable answer; the pipeline goes on
            List<String> late = send(gateway, HOARD_KEY, "hoard", ROUNDS, 1);
            List<String> calmLate = send(gateway, CALM_KEY, "calm", ROUNDS, 3);
            Awaitility.await("the late events")
                    .atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> delivered(cluster.sink).containsAll(calmLate)
                            && aborted(cluster, "ws-hoard", "src-hoard")
                                    .keySet()
                                    .containsAll(late));
            assertThat(counter(transformer, "transformer_heap_filled_total", "retried"))
                    .isEqualTo(retried);
        } finally {
            code.stop(0);
        }
    }

    /** Sends {@code count} events of one source in one batch; returns their message ids. */
    private static List<String> send(String gateway, String writeKey, String prefix, int round, int count) {
        List<String> ids = new ArrayList<>();
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + round + "-" + i;
            ids.add(id);
            if (i > 0) batch.append(',');
            batch.append("""
                    {"type":"track","event":"Step","userId":"%s-user-%d","messageId":"%s","properties":{"seq":%d}}""".formatted(prefix, i % 3, id, round * 100 + i));
        }
        batch.append("]}");
        String auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway))
                .header("Authorization", auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(batch.toString()))
                .build();
        try {
            HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return ids;
    }

    private static Set<String> delivered(Sink sink) {
        Set<String> ids = new HashSet<>();
        for (JsonNode e : sink.accepted) ids.add(e.path("messageId").asString());
        return ids;
    }

    /** The aborted gw jobs of a source as the processor's recent events show them: message id to reason. */
    private static Map<String, String> aborted(Cluster cluster, String workspaceId, String sourceId) throws Exception {
        JsonNode recent = getJson(cluster.processors
                .getFirst()
                .url("/api/v1/events/recent?workspaceId=" + workspaceId + "&limit=500&sourceId=" + sourceId));
        Map<String, String> out = new java.util.HashMap<>();
        for (JsonNode job : recent) {
            if (job.path("state").asString().equals("aborted"))
                out.put(
                        job.path("payload").path("messageId").asString(),
                        job.path("errorResponse").toString());
        }
        return out;
    }

    private static long counter(String prometheusUrl, String name, String outcome) throws Exception {
        HttpResponse<String> response = HTTP.send(
                ServiceToken.authorize(HttpRequest.newBuilder(URI.create(prometheusUrl)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        long total = 0;
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*outcome=\"" + outcome + "\"[^}]*} ([0-9.eE+]+)$")
                .matcher(response.body());
        while (m.find()) total += (long) Double.parseDouble(m.group(1));
        return total;
    }

    private static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(
                ServiceToken.authorize(HttpRequest.newBuilder(URI.create(url))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    /** The config backend's code route only: {@code GET /transformation/getByVersionId?versionId=}. */
    private static HttpServer codeServer(Map<String, String> codes) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/transformation/getByVersionId", exchange -> {
            String query = String.valueOf(exchange.getRequestURI().getRawQuery());
            String versionId =
                    URLDecoder.decode(query.replaceFirst("^.*versionId=([^&]*).*$", "$1"), StandardCharsets.UTF_8);
            String source = codes.get(versionId);
            byte[] body = source == null
                    ? "{\"message\":\"not found\"}".getBytes(StandardCharsets.UTF_8)
                    : Json.mapper()
                            .writeValueAsBytes(Map.of(
                                    "versionId",
                                    versionId,
                                    "code",
                                    source,
                                    "language",
                                    "javascript",
                                    "name",
                                    versionId));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(source == null ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** Two workspaces (namespace shape), each a source and a webhook destination with its own transformation. */
    private static String workspaces(String sinkUrl) {
        return "{" + workspace("ws-hoard", "src-hoard", HOARD_KEY, "dst-hoard", "v-hoard", sinkUrl) + ","
                + workspace("ws-calm", "src-calm", CALM_KEY, "dst-calm", "v-calm", sinkUrl) + "}";
    }

    private static String workspace(
            String workspaceId, String sourceId, String writeKey, String destinationId, String versionId, String url) {
        return """
                "%1$s":{"workspaceId":"%1$s","sources":[{"id":"%2$s","name":"%2$s","writeKey":"%3$s",\
                "workspaceId":"%1$s","enabled":true,"sourceDefinition":{"id":"def-http","name":"HTTP","category":""},\
                "destinations":[{"id":"%4$s","name":"%4$s","workspaceId":"%1$s","enabled":true,\
                "isProcessorEnabled":true,"config":{"webhookUrl":"%6$s","webhookMethod":"POST"},\
                "transformations":[{"id":"t-%5$s","versionId":"%5$s"}],\
                "destinationDefinition":{"id":"def-webhook","name":"WEBHOOK","displayName":"Webhook",\
                "config":{"supportedMessageTypes":["alias","group","identify","page","screen","track"]}}}]}]}""".formatted(workspaceId, sourceId, writeKey, destinationId, versionId, url);
    }
}
