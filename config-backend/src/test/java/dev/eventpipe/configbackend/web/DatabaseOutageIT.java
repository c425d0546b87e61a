package dev.eventpipe.configbackend.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.model.json.Json;
import dev.eventpipe.testkit.TcpProxy;
import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * PostgreSQL becomes unreachable (the config backend reaches it through a proxy that the test cuts, as the
 * gateway's {@code DatabaseOutageIT} does): {@code /health} answers 503 with the database down, while
 * {@code /health/live} stays 200, so a liveness probe restarts nothing during an outage; once the database is back,
 * {@code /health} answers 200 again by itself. A context of its own (not {@code BackendIT}'s): it cuts the database.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "configbackend.security.admin-email=outage-admin@test.local",
            "configbackend.security.admin-password=outage-admin-password-123",
            "configbackend.catalogue.enabled=false"
        })
class DatabaseOutageIT {
    static TcpProxy proxy;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        TestPostgres.Database database = TestPostgres.newDatabase();
        proxy = TcpProxy.toDatabase(database);
        TestPostgres.Database proxied = proxy.database(database);
        r.add("spring.datasource.url", proxied::url);
        r.add("spring.datasource.username", proxied::user);
        r.add("spring.datasource.password", proxied::password);
    }

    @AfterAll
    static void closeProxy() throws IOException {
        proxy.close();
    }

    @LocalServerPort
    int port;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void livenessStaysUpWhileTheDatabaseIsUnreachableAndHealthRecoversByItself() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);

        proxy.cut();
        // the pool waits its connection timeout for a connection before /health can say so
        await().atMost(Duration.ofMinutes(2)).until(() -> get("/health").statusCode() == 503);
        HttpResponse<String> health = get("/health");
        assertThat(Json.mapper().readTree(health.body()).path("database").asString())
                .as(health.body())
                .isEqualTo("DOWN");
        HttpResponse<String> live = get("/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(live.body()).path("status").asString())
                .isEqualTo("UP");

        proxy.restore();
        await().atMost(Duration.ofMinutes(2)).until(() -> get("/health").statusCode() == 200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(90))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
