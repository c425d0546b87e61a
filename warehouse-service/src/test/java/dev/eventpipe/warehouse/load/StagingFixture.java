package dev.eventpipe.warehouse.load;

import dev.eventpipe.testkit.TestPostgres;
import dev.eventpipe.warehouse.schema.EventMapper;
import dev.eventpipe.warehouse.schema.EventMeta;
import dev.eventpipe.warehouse.schema.MappingOptions;
import dev.eventpipe.warehouse.schema.WarehouseJson;
import dev.eventpipe.warehouse.schema.WarehouseRow;
import dev.eventpipe.warehouse.staging.StagedRow;
import dev.eventpipe.warehouse.staging.StagingFiles;
import dev.eventpipe.warehouse.storage.LocalObjectStore;
import dev.eventpipe.warehouse.support.WorkspaceFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** Staging files made from events with the real mapping, a warehouse database, and queries on it. */
final class StagingFixture {
    final Path dir;
    final LocalObjectStore store;
    final TestPostgres.Database warehouse = TestPostgres.newDatabase();
    private int files;

    StagingFixture(Path dir) {
        this.dir = dir;
        this.store = new LocalObjectStore(dir.resolve("staging"));
    }

    /** Maps the events (JSON texts) and writes them as one staging file; returns its key. */
    String stage(String... events) throws IOException {
        Path tmp = Files.createTempFile(dir, "s", ".json.gz");
        try (StagingFiles.Writer out = new StagingFiles.Writer(tmp)) {
            for (String json : events) {
                ObjectNode event = (ObjectNode) WarehouseJson.MAPPER.readTree(json);
                String messageId =
                        event.path("messageId").asString(UUID.randomUUID().toString());
                String receivedAt = event.path("receivedAt").asString("2024-05-01T10:00:00.000Z");
                EventMeta meta = new EventMeta(messageId, receivedAt, "src-1", "HTTP", "dst-1");
                for (WarehouseRow row : EventMapper.map(event, meta, MappingOptions.of(Map.of(), event)))
                    out.write(new StagedRow(row.table(), row.columns(), data(row), row.updatesUsers()).toJson());
            }
        }
        String key = "f" + (++files) + ".json.gz";
        store.put(key, tmp);
        return key;
    }

    private static ObjectNode data(WarehouseRow row) {
        ObjectNode data = WarehouseJson.MAPPER.createObjectNode();
        row.values().forEach(data::set);
        return data;
    }

    UploadLoader loader(int columnLimit) {
        return new UploadLoader(new UploadLoader.Settings(
                Duration.ofSeconds(5),
                Duration.ofSeconds(60),
                columnLimit,
                dir.resolve("work"),
                WorkspaceFiles.allowing(warehouse)));
    }

    WarehouseSettings settings() {
        // jdbc:postgresql://host:port/db?...
        String rest = warehouse.url().substring("jdbc:postgresql://".length());
        String hostPort = rest.substring(0, rest.indexOf('/'));
        String db = rest.substring(rest.indexOf('/') + 1).replaceAll("\\?.*", "");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("host", hostPort.substring(0, hostPort.lastIndexOf(':')));
        config.put("port", hostPort.substring(hostPort.lastIndexOf(':') + 1));
        config.put("database", db);
        config.put("user", warehouse.user());
        config.put("password", warehouse.password() == null ? "" : warehouse.password());
        config.put("sslMode", "disable");
        return WarehouseSettings.of(config);
    }

    List<Map<String, Object>> query(String sql) throws SQLException {
        try (Connection c = warehouse.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
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

    Map<String, String> columns(String table) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> r : query("SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = 'ws' AND table_name = '" + table + "' ORDER BY column_name"))
            out.put((String) r.get("column_name"), (String) r.get("data_type"));
        return out;
    }

    long count(String table) throws SQLException {
        return ((Number) query("SELECT count(*) AS n FROM ws.\"" + table + "\"")
                        .getFirst()
                        .get("n"))
                .longValue();
    }
}
