package dev.eventpipe.processor;

import static dev.eventpipe.processor.TestWorkspace.source;
import static dev.eventpipe.processor.TestWorkspace.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.testkit.TestPostgres;
import dev.eventpipe.transformer.TransformerApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The processor against the real transformer service (GraalJS, started in-process on a random port) with a small
 * config backend serving the user transformation's code: a user transformation that enriches, drops and throws,
 * then the real WEBHOOK destination transformer, into rt jobs in per-user order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EndToEndWithTransformerIT {
    static final String CODE = """
            export function transformEvent(event, metadata) {
              if (event.event === 'drop-me') return null;
              if (event.event === 'boom') throw new Error('cannot handle boom');
              event.properties = event.properties || {};
              event.properties.enrichedBy = metadata(event).sourceId;
              return event;
            }""";

    static final HttpServer configBackend = codeServer();
    static final ConfigurableApplicationContext transformerApp = new SpringApplicationBuilder(
                    TransformerApplication.class)
            .run(
                    "--server.port=0",
                    "--transformer.config-backend.url=http://127.0.0.1:"
                            + configBackend.getAddress().getPort(),
                    // the processor's classpath has a JDBC driver; the transformer needs no database
                    "--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
    static final Path config = TestWorkspace.write(source(
            "src-e2e",
            "wk-e2e",
            webhook("d-ut", ",\"transformations\": [{\"id\": \"t-1\", \"versionId\": \"v-enrich\"}]"),
            webhook("d-plain", "")));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        TestPostgres.register(r);
        r.add(
                "processor.transformer.url",
                () -> "http://127.0.0.1:" + transformerApp.getEnvironment().getProperty("local.server.port"));
        r.add("workspace-config.path", config::toString);
        r.add("processor.idle-sleep", () -> "20ms");
        r.add("processor.batch.max-jobs", () -> "150");
        // this test is for the real WEBHOOK destination transform after the real user transformation: keep WEBHOOK
        // on the transformer (the in-process envelope is held to it by WebhookEnvelopeAgainstTransformerIT)
        r.add(Processors.WEBHOOK_IN_PROCESS, () -> "false");
    }

    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    DataSource dataSource;

    static HttpServer codeServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/transformation/getByVersionId", exchange -> {
                byte[] body = Json.mapper()
                        .writeValueAsBytes(Map.of(
                                "versionId", "v-enrich", "code", CODE, "language", "javascript", "name", "enrich"));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        transformerApp.close();
        configBackend.stop(0);
    }

    @Test
    void eventsFlowThroughTheRealUserAndWebhookTransformationsInPerUserOrder() {
        QueueRows rows = new QueueRows(dataSource);
        int users = 5;
        int perUser = 60;
        GwJobs jobs = GwJobs.create();
        for (int seq = 0; seq < perUser; seq++)
            for (int u = 0; u < users; u++) {
                ObjectNode e = GwJobs.track("e2e-" + u, seq == 7 ? "drop-me" : seq == 8 ? "boom" : "step");
                e.putObject("properties").put("seq", seq);
                jobs.add("src-e2e", "wk-e2e", e);
            }
        List<Long> ids = jobs.store(jobsDbs);

        // d-plain gets every event; d-ut all but the dropped and the failed ones
        int expected = users * perUser + users * (perUser - 2);
        await().atMost(Duration.ofSeconds(120)).until(() -> rows.rtCount("src-e2e") >= expected);
        List<QueueRows.Rt> rt = rows.rt("src-e2e");
        assertThat(rt).hasSize(expected);

        Map<String, Integer> last = new HashMap<>();
        for (QueueRows.Rt r : rt) {
            JsonNode payload = r.payload();
            String destination = r.parameters().path("destination_id").asString();
            assertThat(payload.path("endpoint").asString()).isEqualTo("http://127.0.0.1:1/" + destination);
            assertThat(payload.path("method").asString()).isEqualTo("POST");
            JsonNode body = payload.path("body").path("JSON");
            assertThat(body.path("context").path("ip").asString()).isEqualTo("10.1.2.3");
            if (destination.equals("d-ut"))
                assertThat(body.path("properties").path("enrichedBy").asString())
                        .isEqualTo("src-e2e");
            else assertThat(body.path("properties").has("enrichedBy")).isFalse();
            int seq = body.path("properties").path("seq").asInt();
            String key = destination + "/" + r.userId();
            Integer previous = last.put(key, seq);
            if (previous != null) assertThat(seq).as("order of %s", key).isGreaterThan(previous);
        }
        assertThat(last).hasSize(2 * users);

        QueueRows.GwState dropped = rows.gw(ids.get(7 * users));
        assertThat(dropped.state()).isEqualTo("succeeded");
        assertThat(dropped.errorResponse().path("filtered").toString()).contains("d-ut", "user_transformation");
        QueueRows.GwState failed = rows.gw(ids.get(8 * users));
        assertThat(failed.errorResponse().path("failures").toString()).contains("d-ut", "cannot handle boom");
    }
}
