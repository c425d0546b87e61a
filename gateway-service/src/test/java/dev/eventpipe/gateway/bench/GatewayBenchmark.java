package dev.eventpipe.gateway.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The gateway benchmark (see gateway-service/README.md; run by {@code gateway-service/bench.sh}). It starts the
 * gateway jar against the local PostgreSQL (a fresh database {@code eventpipe_bench}, a file workspace config),
 * or targets a running one ({@code --url}, {@code --pid}, {@code --write-key}); drives {@code /v1/batch} and
 * single-event {@code /v1/track} load from 127.0.0.1; then measures the same server's raw multi-row INSERT rate.
 * The last line printed is one JSON object with all figures. (Over 300 lines: the whole run, from process start to
 * the JSON line, reads top to bottom in one place.)
 */
public final class GatewayBenchmark {
    private static final String WRITE_KEY = "bench-write-key";
    private static final String CONFIG = """
            {"workspaceId": "ws-bench", "sources": [{"id": "src-bench", "name": "bench", "writeKey": "%s",
             "enabled": true, "workspaceId": "ws-bench",
             "sourceDefinition": {"id": "d", "name": "Javascript", "category": ""}, "destinations": []}]}""".formatted(WRITE_KEY);

    private GatewayBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "20"));
        int batchClients = Integer.parseInt(opt.getOrDefault("batch-clients", "16"));
        int batchSize = Integer.parseInt(opt.getOrDefault("batch-size", "100"));
        int singleClients = Integer.parseInt(opt.getOrDefault("single-clients", "64"));
        String pgHost = opt.getOrDefault("pg-host", "127.0.0.1");
        String pgPort = opt.getOrDefault("pg-port", "5432");
        String pgUser = opt.getOrDefault("pg-user", "postgres");
        String pgPassword = opt.getOrDefault("pg-password", "");
        String database = opt.getOrDefault("pg-database", "eventpipe_bench");
        String dbUrl = "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database;
        int port = Integer.parseInt(opt.getOrDefault("port", "18080"));
        String writeKey = opt.getOrDefault("write-key", WRITE_KEY);
        Process gateway = null;
        long pid;
        if (opt.containsKey("url")) {
            URI url = URI.create(opt.get("url"));
            port = url.getPort();
            pid = Long.parseLong(opt.getOrDefault("pid", "-1"));
        } else {
            recreateDatabase(pgHost, pgPort, pgUser, pgPassword, database);
            gateway = startGateway(
                    opt.getOrDefault("jar", "gateway-service/target/gateway-service-exec.jar"),
                    port,
                    pgHost,
                    pgPort,
                    pgUser,
                    pgPassword,
                    database);
            pid = gateway.pid();
        }
        try {
            waitForHealth(port, gateway);
            MemoryProbe memory = new MemoryProbe(port, pid);
            String auth =
                    "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
            System.out.println("warm-up...");
            LoadPhase.run(
                    "warmup-batch",
                    "127.0.0.1",
                    port,
                    batchClients,
                    batchSize,
                    Duration.ofSeconds(8),
                    c -> batchRequests(auth, c, batchSize));
            LoadPhase.run(
                    "warmup-single",
                    "127.0.0.1",
                    port,
                    singleClients,
                    1,
                    Duration.ofSeconds(8),
                    c -> singleRequests(auth, c));
            long storedBefore = storedRows(dbUrl, pgUser, pgPassword);
            memory.start();
            double cpu0 = memory.cpuSeconds();
            LoadPhase.Result batch = LoadPhase.run(
                    "batch",
                    "127.0.0.1",
                    port,
                    batchClients,
                    batchSize,
                    Duration.ofSeconds(Integer.parseInt(opt.getOrDefault("batch-seconds", String.valueOf(seconds)))),
                    c -> batchRequests(auth, c, batchSize));
            double cpu1 = memory.cpuSeconds();
            print(batch);
            LoadPhase.Result single = LoadPhase.run(
                    "single",
                    "127.0.0.1",
                    port,
                    singleClients,
                    1,
                    Duration.ofSeconds(seconds),
                    c -> singleRequests(auth, c));
            double cpu2 = memory.cpuSeconds();
            print(single);
            memory.stop();
            String diagnostics = memory.writerStats();
            System.out.printf(
                    Locale.ROOT,
                    "gateway CPU: %.1f us/event (batch), %.1f us/request (single); writer: %s%n",
                    1e6 * (cpu1 - cpu0) / Math.max(1, batch.okEvents()),
                    1e6 * (cpu2 - cpu1) / Math.max(1, single.okRequests()),
                    diagnostics);
            long storedAfter = storedRows(dbUrl, pgUser, pgPassword);
            String[] sample = sampleJob(dbUrl, pgUser, pgPassword);
            double raw = RawInsertBaseline.rowsPerSecond(
                    dbUrl,
                    pgUser,
                    pgPassword,
                    sample[0],
                    sample[1],
                    500,
                    Duration.ofSeconds(Math.max(10, seconds / 2)));
            System.out.printf(
                    Locale.ROOT, "raw multi-row INSERT (500 rows/statement, 1 connection): %.0f rows/s%n", raw);
            long acknowledged = batch.okEvents() + single.okEvents();
            System.out.println(json(batch, single, raw, storedAfter - storedBefore, acknowledged, memory));
        } finally {
            if (gateway != null) {
                gateway.destroy();
                gateway.waitFor();
            }
        }
    }

    private static void print(LoadPhase.Result r) {
        System.out.printf(
                Locale.ROOT,
                "%s: %d clients x %d events/request: %.0f events/s, %.0f requests/s, p50 %.2f ms, p99 %.2f ms,"
                        + " %d failed requests%n",
                r.name(),
                r.clients(),
                r.eventsPerRequest(),
                r.eventsPerSecond(),
                r.requestsPerSecond(),
                r.p50Millis(),
                r.p99Millis(),
                r.failedRequests());
    }

    private static String json(
            LoadPhase.Result batch,
            LoadPhase.Result single,
            double raw,
            long stored,
            long acknowledged,
            MemoryProbe memory) {
        return String.format(
                Locale.ROOT,
                "{\"batch\":{\"clients\":%d,\"events_per_request\":%d,\"durable_events_per_s\":%.0f,"
                        + "\"requests_per_s\":%.0f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"failed_requests\":%d},"
                        + "\"single\":{\"clients\":%d,\"durable_events_per_s\":%.0f,\"requests_per_s\":%.0f,"
                        + "\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"failed_requests\":%d},"
                        + "\"raw_insert_rows_per_s\":%.0f,\"batched_to_raw_ratio\":%.3f,"
                        + "\"acknowledged_events\":%d,\"stored_rows\":%d,"
                        + "\"gateway_peak_rss_mb\":%.1f,\"gateway_peak_heap_mb\":%.1f}",
                batch.clients(),
                batch.eventsPerRequest(),
                batch.eventsPerSecond(),
                batch.requestsPerSecond(),
                batch.p50Millis(),
                batch.p99Millis(),
                batch.failedRequests(),
                single.clients(),
                single.eventsPerSecond(),
                single.requestsPerSecond(),
                single.p50Millis(),
                single.p99Millis(),
                single.failedRequests(),
                raw,
                batch.eventsPerSecond() / raw,
                acknowledged,
                stored,
                memory.peakRssMb(),
                memory.peakHeapMb());
    }

    // ---- requests ----

    static List<byte[]> batchRequests(String auth, int client, int size) {
        List<byte[]> requests = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            StringBuilder body = new StringBuilder("{\"batch\":[");
            for (int e = 0; e < size; e++) {
                if (e > 0) body.append(',');
                body.append(event(client * 1000 + r * 100 + e % 100));
            }
            requests.add(HttpLoadClient.post(
                    "/v1/batch",
                    auth,
                    body.append("],\"sentAt\":\"2026-11-26T12:00:00.000Z\"}")
                            .toString()
                            .getBytes(StandardCharsets.UTF_8)));
        }
        return requests;
    }

    static List<byte[]> singleRequests(String auth, int client) {
        List<byte[]> requests = new ArrayList<>();
        for (int r = 0; r < 16; r++) {
            requests.add(HttpLoadClient.post(
                    "/v1/track", auth, event(client * 1000 + r).getBytes(StandardCharsets.UTF_8)));
        }
        return requests;
    }

    /** A typical browser track event (about 700 bytes). */
    static String event(int user) {
        return "{\"type\":\"track\",\"event\":\"Product Viewed\",\"anonymousId\":\"anon-" + user
                + "\",\"userId\":\"user-"
                + user + "\",\"messageId\":\"" + UUID.randomUUID() + "\",\"channel\":\"web\","
                + "\"originalTimestamp\":\"2026-11-26T12:00:00.000Z\",\"sentAt\":\"2026-11-26T12:00:00.100Z\","
                + "\"context\":{\"library\":{\"name\":\"RudderLabs JavaScript SDK\",\"version\":\"3.7.0\"},"
                + "\"page\":{\"path\":\"/products/42\",\"url\":\"https://shop.example/products/42\","
                + "\"title\":\"Product 42\",\"referrer\":\"https://www.google.com/\"},"
                + "\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/120.0 Safari/537.36\",\"locale\":\"en-US\",\"screen\":{\"width\":1920,\"height\":1080}},"
                + "\"properties\":{\"product_id\":\"42\",\"name\":\"Trail Shoe\",\"price\":119.99,\"currency\":\"USD\","
                + "\"quantity\":1,\"category\":\"shoes\"},\"integrations\":{\"All\":true}}";
    }

    // ---- gateway process and database ----

    private static Process startGateway(
            String jar, int port, String pgHost, String pgPort, String pgUser, String pgPassword, String database)
            throws IOException {
        Path config = Files.createTempFile("bench-workspaceConfig", ".json");
        Files.writeString(config, CONFIG);
        config.toFile().deleteOnExit();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb =
                new ProcessBuilder(java, "-Xms256m", "-Xmx1g", "--sun-misc-unsafe-memory-access=allow", "-jar", jar);
        Map<String, String> env = pb.environment();
        env.put("PORT", Integer.toString(port));
        env.put("JOBS_DB_HOST", pgHost);
        env.put("JOBS_DB_PORT", pgPort);
        env.put("JOBS_DB_USER", pgUser);
        env.put("JOBS_DB_PASSWORD", pgPassword);
        env.put("JOBS_DB_DB_NAME", database);
        env.put("WORKSPACE_CONFIG_PATH", config.toString());
        env.put("SERVICE_TOKEN", MemoryProbe.SERVICE_TOKEN); // the probe reads the gateway's metrics with it
        File log = new File(jar)
                .getAbsoluteFile()
                .getParentFile()
                .toPath()
                .resolve("bench-gateway.log")
                .toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        System.out.println("starting " + jar + " on port " + port + " (log: " + log + ")");
        return pb.start();
    }

    private static void waitForHealth(int port, Process gateway) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (gateway != null && !gateway.isAlive())
                throw new IllegalStateException("the gateway exited; see its log");
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the gateway did not become healthy within 90 s");
    }

    private static void recreateDatabase(String host, String port, String user, String password, String database)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://" + host + ":" + port + "/postgres", user, password);
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + database);
        }
    }

    private static long storedRows(String url, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM gw_jobs")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String[] sampleJob(String url, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT event_payload, parameters::text FROM gw_jobs ORDER BY job_id DESC LIMIT 1")) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String name = args[i].substring(2);
            if (name.contains("=")) {
                options.put(name.substring(0, name.indexOf('=')), name.substring(name.indexOf('=') + 1));
            } else {
                options.put(name, args[++i]);
            }
        }
        return options;
    }
}
