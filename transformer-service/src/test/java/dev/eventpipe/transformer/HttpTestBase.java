package dev.eventpipe.transformer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service on a random port, talking to {@link StubConfigBackend}. All ITs share this one configuration, so
 * Spring starts the service once per test JVM. The call limit is the service's default (4 s), so the endless loops of SandboxIT take that long each.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            // the service's default call limit: SandboxIT's heap tests need their large allocations to finish before
            // it on a slow machine under the fallback interpreter the ITs run on (at the 1.5 s these ITs had, the
            // paced hoard, which needs at least 1.1 s of busy waiting to reach the heap mark, and the 500 MB string
            // were stopped by this limit instead, on a slower VM on 2026-11-30)
            "transformer.sandbox.timeout=4s",
            "transformer.sandbox.pool-size=2",
            // so high that the wall-clock limit is what stops endless loops here, however fast the machine
            // (the statement limit has its own test, SandboxLimitsTest)
            "transformer.sandbox.statement-limit=1000000000000",
            // small, so that RequestBodyLimitIT can send a body over it that the container still swallows whole
            "transformer.max-request-body=1MB",
            // a struck version's own process (SandboxIT): room for what an innocent call needs there
            "transformer.isolation.heap=1GB",
            "SERVICE_TOKEN=" + HttpTestBase.SERVICE_TOKEN
        })
public abstract class HttpTestBase {
    protected static final String SERVICE_TOKEN = "transformer-test-service-token";
    protected static final JsonMapper JSON = dev.eventpipe.model.json.Json.mapper();
    protected static final StubConfigBackend BACKEND = StubConfigBackend.INSTANCE;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void backend(DynamicPropertyRegistry registry) {
        registry.add("transformer.config-backend.url", BACKEND::url);
        registry.add("transformer.config-backend.workspace-token", () -> StubConfigBackend.TOKEN);
    }

    protected HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Authorization", "Bearer " + SERVICE_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    protected HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + SERVICE_TOKEN)
                .GET()
                .build());
    }

    protected static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** One /customTransform request item for an event with this messageId and transformation version. */
    protected static String item(String messageId, String versionId, String message) {
        return """
                {"message": %s,
                 "metadata": {"messageId": "%s", "sourceId": "src-1", "destinationId": "dst-1", "workspaceId": "ws-1",
                              "jobId": 7, "sourceType": "HTTP", "destinationType": "WEBHOOK"},
                 "destination": {"Transformations": [{"VersionID": "%s"}]},
                 "libraries": [], "credentials": []}""".formatted(message, messageId, versionId);
    }
}
