package dev.eventpipe.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.auth.ServiceToken;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.testkit.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The warehouse through the real suite, each service its own process: events posted to the gateway reach a
 * PostgreSQL warehouse (a second database) in RudderStack's tables and columns; a property that changes type goes
 * to rudder_discards, a new one adds a column; the warehouse service killed with -9 in the middle of an upload
 * leaves every row exactly once after its restart; the archive is written, listed and replayed (dedup applies).
 */
class WarehouseSuiteIT {
    private static final String WRITE_KEY = "warehouse-suite-write-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    final TestPostgres.Database warehouse = TestPostgres.newDatabase();
    final List<ServiceProcess> services = new ArrayList<>();
    Map<String, String> env;

    @AfterEach
    void stop() {
        for (ServiceProcess s : services) s.close();
    }

    @Test
    void eventsLandInRudderStacksTablesAndAKillMidUploadLeavesEveryRowOnce() throws Exception {
        startSuite();
        String t0 = Instant.now().minusSeconds(5).toString();

        // 1. one event of each type, two track event names
        post("""
                {"batch":[
                 {"type":"identify","userId":"u1","anonymousId":"a1","traits":{"email":"ann@example.com","plan":"pro",
                  "address":{"city":"Oslo"}},"context":{"traits":{"firstName":"Ann"}}},
                 {"type":"track","userId":"u1","event":"Order Completed","properties":{"total":42,"coupon":"X1",
                  "products":[{"sku":"s1"}]},"context":{"library":{"name":"analytics-java","version":"3.0.0"}}},
                 {"type":"track","userId":"u1","event":"Product Viewed","properties":{"productId":"p-9","price":9.5}},
                 {"type":"page","userId":"u1","name":"Pricing","properties":{"path":"/pricing","referrer":"x"}},
                 {"type":"screen","anonymousId":"a2","name":"Home","properties":{"loadTime":1.2}},
                 {"type":"group","userId":"u1","groupId":"acme","traits":{"employees":50,"name":"Acme"}},
                 {"type":"alias","userId":"u1","previousId":"a1"}]}""");
        settle(7);
        assertThat(tables())
                .contains(
                        "aliases",
                        "groups",
                        "identifies",
                        "order_completed",
                        "pages",
                        "product_viewed",
                        "rudder_discards",
                        "screens",
                        "tracks",
                        "users");
        // the names RudderStack's warehouse gives the same event (warehouse.md §3.2)
        assertThat(columns("order_completed"))
                .containsEntry("id", "text")
                .containsEntry("event", "text")
                .containsEntry("event_text", "text")
                .containsEntry("total", "bigint")
                .containsEntry("coupon", "text")
                .containsEntry("products", "text")
                .containsEntry("received_at", "timestamp with time zone")
                .containsEntry("context_library_name", "text")
                .containsEntry("context_ip", "text")
                .containsEntry("context_request_ip", "text")
                .containsEntry("context_source_id", "text")
                .containsEntry("context_destination_type", "text")
                .containsEntry("uuid_ts", "timestamp with time zone");
        assertThat(columns("product_viewed"))
                .containsEntry("product_id", "text")
                .containsEntry("price", "numeric");
        assertThat(columns("identifies"))
                .containsEntry("email", "text")
                .containsEntry("address_city", "text")
                .containsEntry("context_traits_first_name", "text");
        assertThat(columns("users"))
                .containsKeys("id", "email", "plan", "anonymous_id")
                .doesNotContainKey("user_id");
        assertThat(columns("pages")).containsKeys("name", "path", "referrer");
        assertThat(columns("screens")).containsEntry("load_time", "numeric");
        assertThat(columns("groups")).containsEntry("group_id", "text").containsEntry("employees", "bigint");
        assertThat(columns("aliases")).containsEntry("previous_id", "text");
        assertThat(query("SELECT event_text, total FROM suite.order_completed"))
                .containsExactly(Map.of("event_text", "Order Completed", "total", 42L));
        assertThat(query("SELECT id, email, plan FROM suite.users"))
                .containsExactly(Map.of("id", "u1", "email", "ann@example.com", "plan", "pro"));
        assertThat(count("suite.tracks")).isEqualTo(2);

        // 2. a property that changes type is discarded with the reason; a new property adds a column
        post("""
                {"batch":[{"type":"track","userId":"u2","event":"Order Completed","messageId":"typed-1",
                 "properties":{"total":"forty","giftWrap":true}}]}""");
        settle(8);
        assertThat(columns("order_completed")).containsEntry("total", "bigint").containsEntry("gift_wrap", "boolean");
        assertThat(query("SELECT total, gift_wrap FROM suite.order_completed WHERE id = 'typed-1'"))
                .containsExactly(mapOf("total", null, "gift_wrap", true));
        assertThat(query("SELECT table_name, column_name, column_value, reason FROM suite.rudder_discards"))
                .containsExactly(Map.of(
                        "table_name", "order_completed",
                        "column_name", "total",
                        "column_value", "forty",
                        "reason", "incompatible schema conversion from int to string"));

        // 3. kill -9 in the middle of an upload: hold the load of one table (its advisory lock), so the upload has
        //    loaded the tables before it and waits inside that one's transaction; kill; release; restart
        StringBuilder many = new StringBuilder("{\"batch\":[");
        int perTable = 200;
        for (int i = 0; i < perTable; i++)
            for (String event : List.of("Step A", "Step B", "Step C")) {
                if (many.length() > 10) many.append(',');
                many.append("{\"type\":\"track\",\"userId\":\"k")
                        .append(i % 7)
                        .append("\",\"event\":\"")
                        .append(event)
                        .append("\",\"properties\":{\"i\":")
                        .append(i)
                        .append("}}");
            }
        post(many.append("]}").toString());
        Awaitility.await("staged").atMost(Duration.ofMinutes(2)).until(() -> stagedEvents() >= 8 + 3 * perTable);
        try (Connection holder = warehouse.connect();
                Statement st = holder.createStatement()) {
            st.execute("SELECT pg_advisory_lock(hashtext('eventpipe.warehouse:suite.step_b'))");
            Awaitility.await("step_a loaded, step_b in progress")
                    .atMost(Duration.ofMinutes(2))
                    .until(() -> {
                        if (pendingFiles() > 0) syncNow();
                        Map<String, String> states = latestTables();
                        return states.getOrDefault("step_a", "").equals("exported")
                                && states.getOrDefault("step_b", "").equals("exporting");
                    });
            service("warehouse-service").kill();
            st.execute("SELECT pg_advisory_unlock_all()");
        }
        assertThat(count("suite.step_a")).isEqualTo(perTable);
        assertThat(tables()).contains("step_b"); // created, but its rows did not commit
        assertThat(count("suite.step_b")).isZero();
        start("warehouse-service").awaitHealthy();
        settle(8 + 3 * perTable);
        for (String table : List.of("step_a", "step_b", "step_c")) {
            assertThat(count("suite." + table)).as(table).isEqualTo(perTable);
            assertThat(query("SELECT count(DISTINCT id) AS n FROM suite." + table)
                            .getFirst()
                            .get("n"))
                    .isEqualTo((long) perTable);
        }
        assertThat(count("suite.tracks")).isEqualTo(3 + 3 * perTable);

        // 4. the archive: written (forced, the hour is not over), listed, replayed with dedup applied
        JsonNode flushed = postJson(service("warehouse-service").url("/api/v1/warehouse/archive/flush"), "");
        assertThat(flushed.path("archived").asLong()).isGreaterThanOrEqualTo(8 + 3 * perTable);
        String now = Instant.now().plusSeconds(60).toString();
        JsonNode files = getJson(service("warehouse-service")
                .url("/api/v1/warehouse/archive/files?workspaceId=ws-suite&sourceId=src-1&from=" + t0 + "&to=" + now));
        long eventsInFiles = 0;
        for (JsonNode f : files.path("files")) eventsInFiles += f.path("events").asLong();
        long archived = eventsInFiles;
        assertThat(archived).isEqualTo(8 + 3 * perTable);
        assertThat(files.path("files").get(0).path("location").asString()).startsWith("src-1/gw/");
        long gwBefore = countJobs("gw");
        JsonNode replay = postJson(
                service("warehouse-service").url("/api/v1/warehouse/archive/replays?workspaceId=ws-suite"),
                "{\"sourceId\":\"src-1\",\"from\":\"" + t0 + "\",\"to\":\"" + now + "\"}");
        Awaitility.await("replay done")
                .atMost(Duration.ofMinutes(2))
                .until(() -> getJson(service("warehouse-service")
                                .url("/api/v1/warehouse/archive/replays?workspaceId=ws-suite"))
                        .path("replays")
                        .get(0)
                        .path("state")
                        .asString()
                        .equals("done"));
        assertThat(countJobs("gw") - gwBefore).isEqualTo(archived);
        // the processor sees them as new gw jobs and drops them as duplicates: the warehouse gets nothing twice
        Awaitility.await("replayed jobs handled")
                .atMost(Duration.ofMinutes(2))
                .until(() -> countReplayedWithState("filtered") == archived);
        assertThat(replay.path("id").asLong()).isPositive();
        assertThat(count("suite.step_c")).isEqualTo(perTable);
    }

    // --- the suite -------------------------------------------------------------------------------------------

    void startSuite() throws Exception {
        TestPostgres.Database jobs = TestPostgres.newDatabase();
        Path config = dir.resolve("workspaceConfig.json");
        Files.writeString(config, workspaceConfig());
        env = new HashMap<>(databaseEnv(jobs));
        env.put("WORKSPACE_CONFIG_PATH", config.toString());
        env.put("WAREHOUSE_WORKDIR", dir.resolve("work").toString());
        env.put("WAREHOUSE_LEASETTL", "3s");
        env.put("WAREHOUSE_STAGING_POLLINTERVAL", "200ms");
        env.put("WAREHOUSE_STAGING_STORAGE_LOCALDIR", dir.resolve("staging").toString());
        env.put("WAREHOUSE_UPLOADS_POLLINTERVAL", "300ms");
        env.put("WAREHOUSE_ARCHIVE_STORAGE_LOCALDIR", dir.resolve("archive").toString());
        env.put("WAREHOUSE_ARCHIVE_POLLINTERVAL", "1h"); // written by the explicit flush below
        // the warehouse is a database on this machine (loopback, and the job database's server): the egress policy
        // refuses it unless listed, as an operator lists a warehouse on the same machine
        Matcher warehouseAt = Pattern.compile("jdbc:postgresql://([^/]+)/.*").matcher(warehouse.url());
        if (!warehouseAt.matches()) throw new IllegalStateException(warehouse.url());
        env.put("EGRESS_ALLOW", warehouseAt.group(1));
        ServiceProcess transformer = start("transformer-service");
        env.put("DEST_TRANSFORM_URL", transformer.url(""));
        start("gateway-service");
        start("processor-service");
        start("warehouse-service");
        services.forEach(ServiceProcess::awaitHealthy);
    }

    ServiceProcess start(String module) {
        ServiceProcess p = ServiceProcess.start(module, env);
        services.add(p);
        return p;
    }

    ServiceProcess service(String module) {
        return services.stream()
                .filter(s -> s.module.equals(module))
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    String workspaceConfig() {
        Matcher m =
                Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+).*").matcher(warehouse.url());
        if (!m.matches()) throw new IllegalStateException(warehouse.url());
        Map<String, Object> pg = new LinkedHashMap<>();
        pg.put("host", m.group(1));
        pg.put("port", m.group(2));
        pg.put("database", m.group(3));
        pg.put("user", warehouse.user());
        pg.put("password", warehouse.password() == null ? "" : warehouse.password());
        pg.put("namespace", "suite");
        pg.put("sslMode", "disable");
        pg.put("syncFrequency", "1440");
        Map<String, Object> destination = Map.of(
                "id",
                "dst-pg",
                "name",
                "Warehouse",
                "workspaceId",
                "ws-suite",
                "enabled",
                true,
                "isProcessorEnabled",
                true,
                "config",
                pg,
                "destinationDefinition",
                Map.of(
                        "id", "def-pg",
                        "name", "POSTGRES",
                        "displayName", "PostgreSQL",
                        "config",
                                Map.of(
                                        "supportedMessageTypes",
                                        List.of("alias", "group", "identify", "page", "screen", "track"))));
        Map<String, Object> source = Map.of(
                "id",
                "src-1",
                "name",
                "Suite source",
                "writeKey",
                WRITE_KEY,
                "workspaceId",
                "ws-suite",
                "enabled",
                true,
                "sourceDefinition",
                Map.of("id", "def-http", "name", "HTTP", "category", ""),
                "destinations",
                List.of(destination));
        return Json.writeString(Map.of("workspaceId", "ws-suite", "sources", List.of(source)));
    }

    static Map<String, String> databaseEnv(TestPostgres.Database db) {
        Matcher m =
                Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+).*").matcher(db.url());
        if (!m.matches()) throw new IllegalStateException(db.url());
        return Map.of(
                "JOBS_DB_HOST", m.group(1),
                "JOBS_DB_PORT", m.group(2),
                "JOBS_DB_DB_NAME", m.group(3),
                "JOBS_DB_USER", db.user(),
                "JOBS_DB_PASSWORD", db.password() == null ? "" : db.password());
    }

    // --- HTTP ------------------------------------------------------------------------------------------------

    void post(String batch) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(service("gateway-service").url("/v1/batch")))
                        .header("Authorization", auth)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(batch))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(
                ServiceToken.authorize(HttpRequest.newBuilder(URI.create(url))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    static JsonNode postJson(String url, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(
                ServiceToken.authorize(HttpRequest.newBuilder(URI.create(url)))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        return Json.mapper().readTree(r.body());
    }

    void syncNow() throws Exception {
        postJson(
                service("warehouse-service").url("/api/v1/warehouse/uploads/sync?workspaceId=ws-suite"),
                "{\"destinationId\":\"dst-pg\"}");
    }

    /**
     * Waits until the given number of events are staged, then syncs until no staging file is pending and no upload
     * is unfinished (the processor, the stager and the uploads run on their own).
     */
    void settle(long events) {
        Awaitility.await(events + " events staged and loaded")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    if (stagedEvents() < events) return false;
                    if (pendingFiles() > 0) syncNow();
                    return pendingFiles() == 0 && unfinishedUploads() == 0;
                });
    }

    /** The tables of the newest upload and their states. */
    Map<String, String> latestTables() throws Exception {
        Map<String, String> states = new HashMap<>();
        JsonNode all = getJson(
                        service("warehouse-service").url("/api/v1/warehouse/uploads?workspaceId=ws-suite&limit=1"))
                .path("uploads");
        if (all.isEmpty()) return states;
        for (JsonNode t : all.get(0).path("tables"))
            states.put(t.path("table").asString(), t.path("status").asString());
        return states;
    }

    // --- SQL -------------------------------------------------------------------------------------------------

    List<Map<String, Object>> query(String sql) throws SQLException {
        try (Connection c = warehouse.connect();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++)
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                rows.add(row);
            }
            return rows;
        }
    }

    long count(String table) throws SQLException {
        return ((Number) query("SELECT count(*) AS n FROM " + table).getFirst().get("n")).longValue();
    }

    List<String> tables() throws SQLException {
        return query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'suite'").stream()
                .map(r -> (String) r.get("table_name"))
                .toList();
    }

    Map<String, String> columns(String table) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> r : query("SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = 'suite' AND table_name = '" + table + "'"))
            out.put((String) r.get("column_name"), (String) r.get("data_type"));
        return out;
    }

    long stagedEvents() throws SQLException {
        return jobsValue("SELECT coalesce(sum(events), 0) FROM wh_staging_files");
    }

    long pendingFiles() throws SQLException {
        return jobsValue("SELECT count(*) FROM wh_staging_files WHERE upload_id IS NULL");
    }

    long unfinishedUploads() throws SQLException {
        return jobsValue("SELECT count(*) FROM wh_uploads WHERE status <> 'exported'");
    }

    long jobsValue(String sql) throws SQLException {
        try (Connection c = jobsDb();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long countJobs(String queue) throws SQLException {
        try (Connection c = jobsDb();
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + queue + "_jobs")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long countReplayedWithState(String state) throws SQLException {
        try (Connection c = jobsDb();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM gw_jobs j WHERE j.parameters ? 'archive_replay' AND ("
                                + "SELECT s.job_state FROM gw_job_status s WHERE s.job_id = j.job_id"
                                + " ORDER BY s.id DESC LIMIT 1) = '" + state + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    Connection jobsDb() throws SQLException {
        return java.sql.DriverManager.getConnection(
                "jdbc:postgresql://" + env.get("JOBS_DB_HOST") + ":" + env.get("JOBS_DB_PORT") + "/"
                        + env.get("JOBS_DB_DB_NAME"),
                env.get("JOBS_DB_USER"),
                env.get("JOBS_DB_PASSWORD"));
    }

    static Map<String, Object> mapOf(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
