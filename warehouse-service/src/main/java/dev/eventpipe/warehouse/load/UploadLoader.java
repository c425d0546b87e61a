package dev.eventpipe.warehouse.load;

import dev.eventpipe.model.egress.EgressPolicy;
import dev.eventpipe.warehouse.schema.ColumnType;
import dev.eventpipe.warehouse.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads one upload into a PostgreSQL warehouse: splits the staging rows per table, grows the schema (a new table
 * or column is created with the type first seen in the upload; a column that exists keeps its type; columns beyond
 * {@code columnLimit} are not added and their values are discarded), then loads the tables one by one, each in its
 * own transaction ({@link TableLoad}): event tables in name order, then {@code identifies} with {@code users}.
 * Tables the upload already loaded ({@code done}) are skipped; the others are loaded again safely.
 */
public final class UploadLoader {
    /** Told before and after each table, so the upload's progress is visible. */
    public interface Progress {
        void started(String table, long rows);

        void loaded(String table, long rows, long discards);
    }

    /** One upload's work. */
    public record Job(
            long uploadId,
            WarehouseSettings warehouse,
            String namespace,
            ObjectStore staging,
            List<String> stagingFiles,
            boolean preferAppend,
            boolean retry,
            Instant loadTs,
            Set<String> done) {}

    /** Limits and places; {@code egress}: which warehouse addresses may be connected to. */
    public record Settings(
            Duration connectTimeout, Duration socketTimeout, int columnLimit, Path workDir, EgressPolicy egress) {}

    private static final Set<String> KEYS = Set.of("id", "received_at", "uuid_ts", "user_id", "row_id");

    private final Settings settings;

    public UploadLoader(Settings settings) {
        this.settings = settings;
    }

    public void load(Job job, Progress progress) throws SQLException, IOException {
        try (UploadData data = UploadData.split(job.staging(), job.stagingFiles(), settings.workDir());
                Connection c = job.warehouse()
                        .connect(settings.connectTimeout(), settings.socketTimeout(), settings.egress())) {
            String ns = job.namespace();
            WarehouseSchema.createSchema(c, ns);
            Map<String, UploadData.Table> tables = data.tables();
            UploadData.Table identifies = tables.get("identifies");
            boolean users = identifies != null && identifies.updatesUsers;
            evolve(c, ns, tables, users);
            Map<String, Map<String, String>> schema = WarehouseSchema.read(c, ns);
            TableLoad.Mode mode =
                    new TableLoad.Mode(!job.preferAppend(), job.retry(), job.loadTs(), settings.columnLimit());
            List<UploadData.Table> order = new ArrayList<>(tables.values());
            order.sort((a, b) -> Boolean.compare(a == identifies, b == identifies));
            for (UploadData.Table table : order) {
                if (job.done().contains(table.name)) continue;
                progress.started(table.name, table.rows);
                if (table == identifies && users) progress.started("users", 0);
                TableLoad.Result result = TableLoad.load(
                        c,
                        ns,
                        table,
                        schema.get(table.name),
                        table == identifies && users ? schema.get("users") : null,
                        schema.get(WarehouseSchema.DISCARDS),
                        mode,
                        settings.workDir());
                progress.loaded(table.name, result.rows(), result.discards());
                if (table == identifies && users) progress.loaded("users", result.users(), 0);
            }
        }
    }

    private void evolve(Connection c, String ns, Map<String, UploadData.Table> tables, boolean users)
            throws SQLException {
        Map<String, Map<String, String>> existing = WarehouseSchema.read(c, ns);
        grow(c, ns, WarehouseSchema.DISCARDS, WarehouseSchema.DISCARDS_COLUMNS, existing);
        for (UploadData.Table table : tables.values()) grow(c, ns, table.name, table.columns, existing);
        if (users) grow(c, ns, "users", usersColumns(tables.get("identifies").columns, existing), existing);
    }

    /**
     * The users table's columns: those of identifies (its values come from there), {@code id} typed as the user
     * id, without {@code user_id}. Columns identifies already has in the warehouse keep the warehouse's type.
     */
    private static Map<String, ColumnType> usersColumns(
            Map<String, ColumnType> identifies, Map<String, Map<String, String>> existing) {
        Map<String, String> inWarehouse = existing.getOrDefault("identifies", Map.of());
        Map<String, ColumnType> users = new LinkedHashMap<>();
        for (Map.Entry<String, ColumnType> col : identifies.entrySet()) {
            ColumnType type = inWarehouse.containsKey(col.getKey())
                    ? ColumnType.fromPostgres(inWarehouse.get(col.getKey())).orElse(col.getValue())
                    : col.getValue();
            if (col.getKey().equals("user_id")) users.put("id", type);
            else if (!col.getKey().equals("id")) users.put(col.getKey(), type);
        }
        return users;
    }

    private void grow(
            Connection c,
            String ns,
            String table,
            Map<String, ColumnType> wanted,
            Map<String, Map<String, String>> existing)
            throws SQLException {
        Map<String, String> have = existing.get(table);
        int room = settings.columnLimit() - (have == null ? 0 : have.size());
        Map<String, ColumnType> add = new LinkedHashMap<>();
        List<Map.Entry<String, ColumnType>> ordered = new ArrayList<>(wanted.entrySet());
        // the key columns first, so a table at the column limit still has what loads need
        ordered.sort((a, b) -> Boolean.compare(!KEYS.contains(a.getKey()), !KEYS.contains(b.getKey())));
        for (Map.Entry<String, ColumnType> col : ordered) {
            if (have != null && have.containsKey(col.getKey())) continue;
            if (add.size() >= room) break;
            add.put(col.getKey(), col.getValue());
        }
        if (have == null) WarehouseSchema.createTable(c, ns, table, add);
        else WarehouseSchema.addColumns(c, ns, table, add);
    }
}
