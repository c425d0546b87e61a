package dev.eventpipe.configbackend.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.eventpipe.configbackend.Api;
import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The catalogue is read from a stub of the transformer's endpoint that fails twice before it answers. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "configbackend.security.admin-email=cat@test.local",
            "configbackend.security.admin-password=catalogue-password",
            "configbackend.catalogue.retry-interval=200ms",
            "configbackend.seed.demo-workspace=false"
        })
class CatalogueSyncIT {
    static final AtomicInteger calls = new AtomicInteger();
    static final String CATALOGUE = """
            [{"name":"WEBHOOK","displayName":"Webhook (transformer)",
              "configSchema":{"type":"object","required":["webhookUrl"],"properties":{"webhookUrl":{"type":"string"}}},
              "supportedMessageTypes":["track"],"secretKeys":["headers.to"],"transformAt":"processor","batching":null},
             {"name":"AM","displayName":"Amplitude",
              "configSchema":{"type":"object","required":["apiKey"],
                "properties":{"apiKey":{"type":"string","secret":true},"region":{"type":"string"}}},
              "supportedMessageTypes":["track","identify"],"secretKeys":[],"transformAt":"router",
              "batching":{"maxEvents":100}}]
            """;
    static HttpServer transformer;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        TestPostgres.register(registry);
        transformer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        transformer.createContext("/destinationDefinitions", exchange -> {
            boolean fail = calls.incrementAndGet() <= 2;
            byte[] body = (fail ? "busy" : CATALOGUE).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        transformer.start();
        registry.add(
                "configbackend.catalogue.url",
                () -> "http://127.0.0.1:" + transformer.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        transformer.stop(0);
    }

    @Test
    void definitionsDeclaredByTheTransformerAreSyncedAfterFailedAttemptsAndDriveValidationAndSecrets() {
        Api admin = Api.anonymous(port).login("cat@test.local", "catalogue-password");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(
                                admin.get("/api/v1/destination-definitions/AM").status())
                        .isEqualTo(200));
        assertThat(calls.get()).isGreaterThanOrEqualTo(3);

        JsonNode amplitude = admin.get("/api/v1/destination-definitions/AM").body();
        assertThat(amplitude.get("transformAt").asString()).isEqualTo("router");
        assertThat(amplitude.at("/batching/maxEvents").asInt()).isEqualTo(100);
        assertThat(amplitude.get("secretKeys").toString()).contains("apiKey");
        JsonNode webhook = admin.get("/api/v1/destination-definitions/WEBHOOK").body();
        assertThat(webhook.get("displayName").asString()).isEqualTo("Webhook (transformer)");
        assertThat(webhook.get("origin").asString()).isEqualTo("transformer");

        String workspace = admin.post("/api/v1/workspaces", Map.of("name", "Catalogue"))
                .body()
                .get("id")
                .asString();
        Api.Reply invalid =
                admin.post("/api/v1/workspaces/" + workspace + "/destinations", Map.of("name", "Amp", "type", "AM"));
        assertThat(invalid.body().at("/errors/0/field").asString()).isEqualTo("config.apiKey");
        Api.Reply created = admin.post(
                "/api/v1/workspaces/" + workspace + "/destinations",
                Map.of("name", "Amp", "type", "AM", "config", Map.of("apiKey", "amp-key", "region", "EU")));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().at("/config/apiKey").asString())
                .as("a schema field marked secret is masked")
                .isEqualTo("********");
        assertThat(created.body().at("/config/region").asString()).isEqualTo("EU");
    }
}
