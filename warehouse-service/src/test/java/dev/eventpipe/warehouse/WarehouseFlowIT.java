package dev.eventpipe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.auth.ServiceToken;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.testkit.TestPostgres;
import dev.eventpipe.testkit.UnauthenticatedRoutes;
import dev.eventpipe.testkit.WorkspacelessRoutes;
import dev.eventpipe.warehouse.support.WorkspaceFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The service from batch_rt jobs to warehouse tables on real PostgreSQL (a second database as the warehouse):
 * staging, the first upload at once, "sync now" for the next, per-table counts in the API, a failing warehouse
 * retried, and tenants kept apart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WarehouseFlowIT {
    static final TestPostgres.Database WAREHOUSE = TestPostgres.newDatabase();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws IOException {
        TestPostgres.register(r);
        Path dir = Files.createTempDirectory("warehouse-it");
        Path config = dir.resolve("workspaceConfig.json");
        Files.writeString(
                config,
                WorkspaceFiles.config(
                        "ws-1",
                        Map.of(
                                "src-1",
                                Map.of("dst-pg", WorkspaceFiles.postgres(WAREHOUSE, Map.of("namespace", "analytics"))),
                                "src-2",
                                Map.of(
                                        "dst-down",
                                        Map.of("host", "127.0.0.1", "port", "1", "database", "x", "user", "u")),
                                // a tenant's warehouse host that points inward: cloud metadata, and a name of this
                                // machine (resolved at connect time) on a port EGRESS_ALLOW does not list
                                "src-3",
                                Map.of(
                                        "dst-metadata",
                                        Map.of("host", "169.254.169.254", "database", "x", "user", "u"),
                                        "dst-localhost",
                                        Map.of("host", "localhost", "port", "2", "database", "x", "user", "u")))));
        // the test warehouse and the unreachable one are on this machine: allowed by name, as an operator would
        r.add("egress.allow", () -> WorkspaceFiles.hostPort(WAREHOUSE) + ",127.0.0.1:1");
        r.add("workspace-config.path", config::toString);
        r.add("warehouse.lease-ttl", () -> "3s");
        r.add("warehouse.work-dir", () -> dir.resolve("work").toString());
        r.add("warehouse.staging.poll-interval", () -> "100ms");
        r.add(
                "warehouse.staging.storage.local-dir",
                () -> dir.resolve("staging").toString());
        r.add(
                "warehouse.archive.storage.local-dir",
                () -> dir.resolve("archive").toString());
        r.add("warehouse.uploads.poll-interval", () -> "200ms");
        r.add("warehouse.uploads.min-backoff", () -> "500ms");
        r.add("warehouse.uploads.max-backoff", () -> "1s");
        r.add("warehouse.uploads.connect-timeout", () -> "2s");
    }

    @Autowired
    JobsDbs jobsDbs;

    @LocalServerPort
    int port;

    void storeEvents(String sourceId, String destinationId, List<String> events) {
        List<NewJob> jobs = new ArrayList<>();
        for (String event : events) {
            JsonNode e = Json.mapper().readTree(event);
            String params = Json.writeString(Map.of(
                    "source_id",
                    sourceId,
                    "destination_id",
                    destinationId,
                    "message_id",
                    e.path("messageId").asString(),
                    "received_at",
                    "2024-05-01T10:00:00.000Z",
                    "event_type",
                    e.path("type").asString()));
            jobs.add(NewJob.of("user-" + e.path("userId").asString(), "ws-1", "POSTGRES", params, event));
        }
        jobsDbs.queue(Queue.BATCH_RT).store(jobs);
    }

    static String track(String userId, String event, String props) {
        return """
                {"type":"track","messageId":"%s","userId":"%s","event":"%s","properties":%s,
                 "receivedAt":"2024-05-01T10:00:00.000Z","context":{"library":{"name":"test"}}}""".formatted(UUID.randomUUID(), userId, event, props);
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                ServiceToken.authorize(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(
                ServiceToken.authorize(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    long count(String sql) throws SQLException {
        try (Connection c = WAREHOUSE.connect();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    JsonNode uploads(String destinationId) throws Exception {
        return get("/api/v1/warehouse/uploads?workspaceId=ws-1&destinationId=" + destinationId)
                .path("uploads");
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyRouteButHealthRefusesCallersWithoutTheServiceToken() {
        assertThat(UnauthenticatedRoutes.check(mappings, port))
                .contains("GET /api/v1/warehouse/uploads", "POST /api/v1/warehouse/archive/flush");
    }

    @Test
    void everyApiRouteButTheOperatorsFlushRefusesACallWithoutAWorkspaceEvenWithTheServiceToken() {
        assertThat(WorkspacelessRoutes.check(mappings, port, Set.of("POST /api/v1/warehouse/archive/flush")))
                .containsExactlyInAnyOrder(
                        "GET /api/v1/warehouse/uploads",
                        "GET /api/v1/warehouse/uploads/{id}",
                        "POST /api/v1/warehouse/uploads/sync",
                        "POST /api/v1/warehouse/uploads/{id}/retry",
                        "GET /api/v1/warehouse/archive/files",
                        "GET /api/v1/warehouse/archive/replays",
                        "POST /api/v1/warehouse/archive/replays");
    }

    @Test
    void batchRtJobsReachTheWarehouseAndSyncNowLoadsTheNextOnes() throws Exception {
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 20; i++) first.add(track("u" + (i % 4), "Order Completed", "{\"total\":" + i + "}"));
        storeEvents("src-1", "dst-pg", first);

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode u = uploads("dst-pg");
            return u.size() == 1
                    && u.get(0).path("upload").path("status").asString().equals("exported");
        });
        assertThat(count("SELECT count(*) FROM analytics.order_completed")).isEqualTo(20);
        assertThat(count("SELECT count(*) FROM analytics.tracks")).isEqualTo(20);
        JsonNode upload = uploads("dst-pg").get(0);
        assertThat(upload.path("upload").path("namespace").asString()).isEqualTo("analytics");
        assertThat(upload.path("tables").toString())
                .contains("\"table\":\"order_completed\"", "\"rows\":20", "\"status\":\"exported\"");

        // the next events wait for the sync frequency (30 min by default) unless synced now
        storeEvents("src-1", "dst-pg", List.of(track("u9", "Order Completed", "{\"total\":99,\"note\":\"new\"}")));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> post("/api/v1/warehouse/uploads/sync?workspaceId=ws-1", "{\"destinationId\":\"dst-pg\"}")
                        .body()
                        .matches(".*\"created\":\\[\\d+].*"));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> count("SELECT count(*) FROM analytics.order_completed") == 21);
        assertThat(count("SELECT count(*) FROM analytics.order_completed WHERE note = 'new'"))
                .isEqualTo(1);
    }

    @Test
    void aWarehouseThatCannotBeReachedFailsTheUploadVisiblyAndItIsRetried() throws Exception {
        storeEvents("src-2", "dst-down", List.of(track("u1", "Ping", "{}")));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode u = uploads("dst-down");
            return u.size() == 1 && u.get(0).path("upload").path("attempts").asInt() >= 2;
        });
        JsonNode upload = uploads("dst-down").get(0).path("upload");
        assertThat(upload.path("status").asString()).isIn("failed", "exporting");
        assertThat(upload.path("lastError").asString()).isNotBlank();
    }

    @Test
    void aWarehouseHostThatPointsInwardIsRefusedAtConnectTimeWithAReasonNamingEgressAllow() throws Exception {
        storeEvents("src-3", "dst-metadata", List.of(track("u1", "Ping", "{}")));
        storeEvents("src-3", "dst-localhost", List.of(track("u2", "Ping", "{}")));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !uploads("dst-metadata").isEmpty()
                        && !uploads("dst-localhost").isEmpty()
                        && !uploads("dst-metadata")
                                .get(0)
                                .path("upload")
                                .path("lastError")
                                .asString("")
                                .isEmpty()
                        && !uploads("dst-localhost")
                                .get(0)
                                .path("upload")
                                .path("lastError")
                                .asString("")
                                .isEmpty());
        assertThat(uploads("dst-metadata")
                        .get(0)
                        .path("upload")
                        .path("lastError")
                        .asString())
                .contains("169.254.169.254:5432", "cloud metadata", "EGRESS_ALLOW");
        assertThat(uploads("dst-localhost")
                        .get(0)
                        .path("upload")
                        .path("lastError")
                        .asString())
                .contains(":2", "loopback", "EGRESS_ALLOW");
    }

    @Test
    void anotherWorkspaceSeesNoneOfTheseUploadsAndCannotSyncTheirDestinations() throws Exception {
        assertThat(get("/api/v1/warehouse/uploads?workspaceId=ws-other").path("uploads"))
                .isEmpty();
        assertThat(post("/api/v1/warehouse/uploads/sync?workspaceId=ws-other", "{\"destinationId\":\"dst-pg\"}")
                        .statusCode())
                .isEqualTo(404);
    }
}
