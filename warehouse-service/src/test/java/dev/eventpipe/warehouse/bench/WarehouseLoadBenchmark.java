package dev.eventpipe.warehouse.bench;

import dev.eventpipe.warehouse.load.UploadLoader;
import dev.eventpipe.warehouse.load.WarehouseSettings;
import dev.eventpipe.warehouse.schema.EventMapper;
import dev.eventpipe.warehouse.schema.EventMeta;
import dev.eventpipe.warehouse.schema.MappingOptions;
import dev.eventpipe.warehouse.schema.WarehouseJson;
import dev.eventpipe.warehouse.schema.WarehouseRow;
import dev.eventpipe.warehouse.staging.StagedRow;
import dev.eventpipe.warehouse.staging.StagingFiles;
import dev.eventpipe.warehouse.storage.LocalObjectStore;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * The warehouse's load rate: stages N events (tracks of two event names, identifies, pages) as gzip JSON-lines
 * staging files with the real mapping, then loads them as one upload into a fresh PostgreSQL database with the real
 * {@link UploadLoader} (temporary table, COPY, delete-then-insert by id per table), and prints rows/s per table
 * (rows over the time between the loader's "started" and "loaded" of that table) and for the whole upload (split of
 * the staging files, schema, every table). Then it checks every table holds the rows it should. One JSON line last.
 *
 * <p>Run by {@code warehouse-service/bench.sh} (arguments: {@code --events N --files F --pg-host H --pg-port P
 * --pg-user U --pg-password W --pg-admin-db D}).
 */
public final class WarehouseLoadBenchmark {
    private WarehouseLoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        int events = Integer.parseInt(a.getOrDefault("events", "100000"));
        int files = Integer.parseInt(a.getOrDefault("files", "10"));
        String host = a.getOrDefault("pg-host", "127.0.0.1");
        String port = a.getOrDefault("pg-port", "5432");
        String user = a.getOrDefault("pg-user", "postgres");
        String password = a.getOrDefault("pg-password", "postgres");
        String adminDb = a.getOrDefault("pg-admin-db", "postgres");
        String db = "whbench_" + System.currentTimeMillis();
        String admin = "jdbc:postgresql://" + host + ":" + port + "/" + adminDb;

        Path dir = Files.createTempDirectory("warehouse-bench");
        try (Connection c = DriverManager.getConnection(admin, user, password);
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        try {
            LocalObjectStore store = new LocalObjectStore(dir.resolve("staging"));
            long stageStart = System.nanoTime();
            List<String> keys = stage(store, dir, events, files);
            double stageSeconds = (System.nanoTime() - stageStart) / 1e9;

            Map<String, Object> config = new LinkedHashMap<>();
            config.put("host", host);
            config.put("port", port);
            config.put("database", db);
            config.put("user", user);
            config.put("password", password);
            config.put("sslMode", "disable");
            UploadLoader loader = new UploadLoader(new UploadLoader.Settings(
                    Duration.ofSeconds(10),
                    Duration.ofMinutes(30),
                    1600,
                    dir.resolve("work"),
                    // the benchmark's warehouse is the one its operator names (this machine, usually)
                    dev.eventpipe.model.egress.EgressPolicy.of(host + ":" + port, false, List.of())));
            Map<String, Long> started = new LinkedHashMap<>();
            Map<String, double[]> perTable = new LinkedHashMap<>(); // rows, seconds
            long loadStart = System.nanoTime();
            loader.load(
                    new UploadLoader.Job(
                            1,
                            WarehouseSettings.of(config),
                            "bench",
                            store,
                            keys,
                            false,
                            false,
                            Instant.now(),
                            Set.of()),
                    new UploadLoader.Progress() {
                        @Override
                        public void started(String table, long rows) {
                            started.put(table, System.nanoTime());
                        }

                        @Override
                        public void loaded(String table, long rows, long discards) {
                            perTable.put(table, new double[] {rows, (System.nanoTime() - started.get(table)) / 1e9});
                        }
                    });
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

            Map<String, Long> expected = expectedRows(events);
            Map<String, Long> counted = new LinkedHashMap<>();
            try (Connection c = DriverManager.getConnection(
                            "jdbc:postgresql://" + host + ":" + port + "/" + db, user, password);
                    Statement st = c.createStatement()) {
                for (String table : expected.keySet()) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM bench." + table)) {
                        rs.next();
                        counted.put(table, rs.getLong(1));
                    }
                }
            }
            if (!counted.equals(expected))
                throw new IllegalStateException("rows in the warehouse " + counted + ", expected " + expected);

            long totalRows = 0;
            StringBuilder tables = new StringBuilder();
            System.out.printf("%-18s %10s %9s %12s%n", "table", "rows", "seconds", "rows/s");
            for (Map.Entry<String, double[]> e : perTable.entrySet()) {
                double rows = e.getValue()[0];
                double seconds = e.getValue()[1];
                // users loads inside identifies' transaction: its time is identifies', not its own
                if (!e.getKey().equals("users")) totalRows += (long) rows;
                System.out.printf("%-18s %10.0f %9.2f %12.0f%n", e.getKey(), rows, seconds, rows / seconds);
                if (!tables.isEmpty()) tables.append(',');
                tables.append("\"%s\":{\"rows\":%.0f,\"seconds\":%.3f,\"rowsPerSecond\":%.0f}"
                        .formatted(e.getKey(), rows, seconds, rows / seconds));
            }
            System.out.printf(
                    "staged %d events in %d files in %.2f s; loaded %d rows (without users) in %.2f s: %.0f rows/s"
                            + " for the whole upload%n",
                    events, keys.size(), stageSeconds, totalRows, loadSeconds, totalRows / loadSeconds);
            double[] load = loadAverage();
            System.out.printf(
                    "{\"benchmark\":\"warehouse-load\",\"date\":\"%s\",\"host\":\"%s\",\"cores\":%d,"
                            + "\"loadAverage1m\":%.2f,\"postgres\":\"%s:%s\",\"events\":%d,\"stagingFiles\":%d,"
                            + "\"stageSeconds\":%.3f,\"uploadSeconds\":%.3f,\"uploadRows\":%d,\"uploadRowsPerSecond\":%.0f,"
                            + "\"tables\":{%s},\"rowsChecked\":true}%n",
                    Instant.now(),
                    InetAddress.getLocalHost().getHostName(),
                    Runtime.getRuntime().availableProcessors(),
                    load[0],
                    host,
                    port,
                    events,
                    keys.size(),
                    stageSeconds,
                    loadSeconds,
                    totalRows,
                    totalRows / loadSeconds,
                    tables);
        } finally {
            try (Connection c = DriverManager.getConnection(admin, user, password);
                    Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Event i: 0-5 of every 10 a track (two names, alternating), 6-7 an identify, 8-9 a page. */
    private static String event(int i) {
        String id = "m-" + i;
        String at = "\"receivedAt\":\"2026-11-29T10:00:00.000Z\",\"sentAt\":\"2026-11-29T10:00:00.000Z\","
                + "\"originalTimestamp\":\"2026-11-29T10:00:00.000Z\",\"timestamp\":\"2026-11-29T10:00:00.000Z\","
                + "\"context\":{\"library\":{\"name\":\"analytics-java\",\"version\":\"3.0.0\"},"
                + "\"locale\":\"en-GB\",\"ip\":\"10.0.0.1\"}";
        int kind = i % 10;
        String user = "u-" + (i % 5000);
        if (kind < 6) {
            String name = kind % 2 == 0 ? "Order Completed" : "Product Viewed";
            return """
                    {"type":"track","messageId":"%s","userId":"%s","anonymousId":"a-%d","event":"%s",\
                    "properties":{"revenue":%d.5,"currency":"EUR","items":%d,"sku":"p-%d"},%s}""".formatted(id, user, i, name, i % 100, i % 7, i % 300, at);
        }
        if (kind < 8) {
            return """
                    {"type":"identify","messageId":"%s","userId":"%s","anonymousId":"a-%d",\
                    "traits":{"email":"%s@example.com","plan":"pro","age":%d},%s}""".formatted(id, user, i, user, 20 + i % 50, at);
        }
        return """
                {"type":"page","messageId":"%s","anonymousId":"a-%d","name":"Pricing",\
                "properties":{"path":"/pricing","url":"https://example.com/pricing","title":"Pricing"},%s}""".formatted(id, i, at);
    }

    private static Map<String, Long> expectedRows(int events) {
        long tracks = 0;
        long orders = 0;
        long identifies = 0;
        long pages = 0;
        Set<String> users = new java.util.HashSet<>();
        for (int i = 0; i < events; i++) {
            int kind = i % 10;
            if (kind < 6) {
                tracks++;
                if (kind % 2 == 0) orders++;
            } else if (kind < 8) {
                identifies++;
                users.add("u-" + (i % 5000));
            } else pages++;
        }
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("tracks", tracks);
        m.put("order_completed", orders);
        m.put("product_viewed", tracks - orders);
        m.put("identifies", identifies);
        m.put("users", (long) users.size());
        m.put("pages", pages);
        return m;
    }

    private static List<String> stage(LocalObjectStore store, Path dir, int events, int files) throws Exception {
        List<String> keys = new ArrayList<>();
        int per = (events + files - 1) / files;
        for (int f = 0; f * per < events; f++) {
            Path tmp = Files.createTempFile(dir, "s", ".json.gz");
            try (StagingFiles.Writer out = new StagingFiles.Writer(tmp)) {
                for (int i = f * per; i < Math.min(events, (f + 1) * per); i++) {
                    ObjectNode e = (ObjectNode) WarehouseJson.MAPPER.readTree(event(i));
                    EventMeta meta = new EventMeta("m-" + i, "2026-11-29T10:00:00.000Z", "src-1", "HTTP", "dst-1");
                    for (WarehouseRow row : EventMapper.map(e, meta, MappingOptions.of(Map.of(), e))) {
                        ObjectNode data = WarehouseJson.MAPPER.createObjectNode();
                        row.values().forEach(data::set);
                        out.write(new StagedRow(row.table(), row.columns(), data, row.updatesUsers()).toJson());
                    }
                }
            }
            String key = "bench/f" + f + ".json.gz";
            store.put(key, tmp);
            keys.add(key);
        }
        return keys;
    }

    private static double[] loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return new double[] {Double.parseDouble(parts[0])};
        } catch (Exception e) {
            return new double[] {-1};
        }
    }
}
