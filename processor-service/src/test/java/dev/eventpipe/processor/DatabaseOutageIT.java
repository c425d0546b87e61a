package dev.eventpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.model.json.Json;
import dev.eventpipe.testkit.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL becomes unreachable (the processor reaches it through a proxy that the test cuts, as the gateway's
 * {@code DatabaseOutageIT} does): {@code /health} answers 503 with the database down, while {@code /health/live}
 * stays 200, so a liveness probe restarts nothing during an outage; once the database is back, {@code /health}
 * answers 200 again by itself.
 */
class DatabaseOutageIT extends TestBedCase {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void livenessStaysUpWhileTheDatabaseIsUnreachableAndHealthRecoversByItself() throws Exception {
        try (TcpProxy proxy = TcpProxy.toDatabase(bed.db())) {
            ConfigurableApplicationContext processor =
                    Processors.start(proxy.database(bed.db()), bed.transformer().url(), bed.config(), "outage");
            try {
                String port = processor.getEnvironment().getProperty("local.server.port");
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> get(port, "/health").statusCode() == 200);

                proxy.cut();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> get(port, "/health").statusCode() == 503);
                HttpResponse<String> health = get(port, "/health");
                JsonNode body = Json.mapper().readTree(health.body());
                assertThat(body.path("database").asString()).as(health.body()).isEqualTo("DOWN");
                HttpResponse<String> live = get(port, "/health/live");
                assertThat(live.statusCode()).isEqualTo(200);
                assertThat(Json.mapper().readTree(live.body()).path("status").asString())
                        .isEqualTo("UP");

                proxy.restore();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> get(port, "/health").statusCode() == 200);
            } finally {
                processor.close();
            }
        }
    }

    private HttpResponse<String> get(String port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
