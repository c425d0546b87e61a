package dev.eventpipe.warehouse.load;

import static dev.eventpipe.warehouse.load.WarehouseSchema.q;

import dev.eventpipe.warehouse.schema.ColumnType;
import dev.eventpipe.warehouse.staging.StagedRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Loads one table of an upload in ONE warehouse transaction, so a crash leaves the table as before or fully
 * loaded: an advisory lock on the table (two loaders never interleave their delete and insert), a temporary table
 * like the target, COPY of the converted rows, then either delete-by-id and insert the newest row per id (merge,
 * the default) or insert all (prefer append; a retry first removes the rows its own earlier attempt loaded, found
 * by the upload's {@code uuid_ts}). For {@code identifies}, the {@code users} merge runs in the same transaction;
 * the values discarded on the way go to {@code rudder_discards} in it too.
 */
final class TableLoad {
    /** What a load did. */
    record Result(long rows, long users, long discards) {}

    /** How to load: merge or append, and whether an earlier attempt may have loaded this table already. */
    record Mode(boolean merge, boolean retry, Instant loadTs, int columnLimit) {}

    private static final String USERS_FLAG = "__eventpipe_users";
    private static final String STAGE = "eventpipe_stage";

    private TableLoad() {}

    static Result load(
            Connection c,
            String ns,
            UploadData.Table table,
            Map<String, String> target,
            @Nullable Map<String, String> usersTarget,
            @Nullable Map<String, String> discardsTarget,
            Mode mode,
            Path workDir)
            throws SQLException, IOException {
        c.setAutoCommit(false);
        try (Discards discards = new Discards(workDir)) {
            lock(c, ns, table.name);
            boolean users = usersTarget != null && table.updatesUsers;
            exec(c, "CREATE TEMP TABLE " + STAGE + " (LIKE " + q(ns) + "." + q(table.name) + ") ON COMMIT DROP");
            if (users) exec(c, "ALTER TABLE " + STAGE + " ADD COLUMN " + q(USERS_FLAG) + " boolean");
            List<String> columns = new ArrayList<>();
            for (String column : table.columns.keySet()) if (target.containsKey(column)) columns.add(column);
            copyRows(c, table, columns, target, users, mode, discards);
            long rows = mode.merge() ? merge(c, ns, table.name, columns) : append(c, ns, table.name, columns, mode);
            long merged = users ? UsersMerge.run(c, ns, target, usersTarget, STAGE, USERS_FLAG) : 0;
            if (discards.count() > 0) {
                if (discardsTarget == null) throw new IllegalStateException("rudder_discards is missing");
                lock(c, ns, WarehouseSchema.DISCARDS);
                loadDiscards(c, ns, discards);
            }
            c.commit();
            return new Result(rows, merged, discards.count());
        } catch (SQLException | IOException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    private static void copyRows(
            Connection c,
            UploadData.Table table,
            List<String> columns,
            Map<String, String> target,
            boolean users,
            Mode mode,
            Discards discards)
            throws SQLException, IOException {
        List<String> copied = new ArrayList<>(columns);
        if (users) copied.add(USERS_FLAG);
        String loadTs = dev.eventpipe.warehouse.schema.Timestamps.format(mode.loadTs());
        List<@Nullable ColumnType> types = new ArrayList<>();
        for (String column : columns)
            types.add(ColumnType.fromPostgres(target.get(column)).orElse(null));
        String limitReason = "table " + table.name + " has reached the column limit (" + mode.columnLimit() + ")";
        try (CopyText copy = new CopyText(c, STAGE, copied)) {
            table.forEachRow(row -> {
                List<@Nullable String> values = new ArrayList<>(copied.size());
                String rowId = text(row.data().get("id"));
                String receivedAt = text(row.data().get("received_at"));
                for (int i = 0; i < columns.size(); i++) {
                    String column = columns.get(i);
                    if (column.equals("uuid_ts")) {
                        values.add(loadTs);
                        continue;
                    }
                    JsonNode value = row.data().get(column);
                    ColumnType inferred = row.columns().get(column);
                    if (value == null || inferred == null) {
                        values.add(null);
                        continue;
                    }
                    ValueConverter.Converted converted = ValueConverter.convert(value, inferred, types.get(i));
                    if (converted.discardReason() != null)
                        discards.add(
                                table.name, rowId, column, text(value), receivedAt, loadTs, converted.discardReason());
                    values.add(converted.text());
                }
                discardColumnsOverLimit(row, target, table.name, rowId, receivedAt, loadTs, limitReason, discards);
                if (users) values.add(row.updatesUsers() ? "t" : "f");
                try {
                    copy.row(values);
                } catch (SQLException e) {
                    throw new UncheckedIOException(new IOException(e));
                }
            });
            copy.finish();
        } catch (UncheckedIOException e) {
            if (e.getCause().getCause() instanceof SQLException sql) throw sql;
            throw e.getCause();
        }
    }

    private static void discardColumnsOverLimit(
            StagedRow row,
            Map<String, String> target,
            String table,
            @Nullable String rowId,
            @Nullable String receivedAt,
            String loadTs,
            String reason,
            Discards discards) {
        for (Map.Entry<String, JsonNode> e : row.data().properties()) {
            if (target.containsKey(e.getKey()) || e.getValue().isNull()) continue;
            discards.add(table, rowId, e.getKey(), text(e.getValue()), receivedAt, loadTs, reason);
        }
    }

    private static long merge(Connection c, String ns, String table, List<String> columns) throws SQLException {
        String t = q(ns) + "." + q(table);
        exec(c, "DELETE FROM " + t + " USING (SELECT DISTINCT id FROM " + STAGE + ") s WHERE " + t + ".id = s.id");
        String cols = list(columns);
        return update(
                c,
                "INSERT INTO " + t + " (" + cols + ") SELECT " + cols + " FROM (SELECT " + cols
                        + ", row_number() OVER (PARTITION BY id ORDER BY received_at DESC NULLS LAST) AS eventpipe_rn FROM "
                        + STAGE + ") x WHERE eventpipe_rn = 1");
    }

    private static long append(Connection c, String ns, String table, List<String> columns, Mode mode)
            throws SQLException {
        String t = q(ns) + "." + q(table);
        if (mode.retry())
            try (PreparedStatement st = c.prepareStatement(
                    "DELETE FROM " + t + " WHERE uuid_ts = ? AND id IN (SELECT id FROM " + STAGE + ")")) {
                st.setTimestamp(1, Timestamp.from(mode.loadTs()));
                st.executeUpdate();
            }
        String cols = list(columns);
        return update(c, "INSERT INTO " + t + " (" + cols + ") SELECT " + cols + " FROM " + STAGE);
    }

    private static void loadDiscards(Connection c, String ns, Discards discards) throws SQLException, IOException {
        String t = q(ns) + "." + q(WarehouseSchema.DISCARDS);
        exec(c, "CREATE TEMP TABLE eventpipe_discards (LIKE " + t + ") ON COMMIT DROP");
        discards.copyInto(c, "eventpipe_discards");
        exec(
                c,
                "DELETE FROM " + t + " USING eventpipe_discards d WHERE " + t + ".row_id = d.row_id AND " + t
                        + ".table_name = d.table_name AND " + t + ".column_name = d.column_name");
        String cols = list(Discards.COLUMNS);
        exec(
                c,
                "INSERT INTO " + t + " (" + cols + ") SELECT DISTINCT ON (row_id, table_name, column_name) " + cols
                        + " FROM eventpipe_discards ORDER BY row_id, table_name, column_name, received_at DESC NULLS LAST");
    }

    /** Serialises loads of one table across loaders, until the transaction ends. */
    static void lock(Connection c, String ns, String table) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            st.setString(1, "eventpipe.warehouse:" + ns + "." + table);
            st.execute();
        }
    }

    static String list(List<String> columns) {
        StringJoiner j = new StringJoiner(", ");
        columns.forEach(col -> j.add(q(col)));
        return j.toString();
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long update(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            return st.executeLargeUpdate(sql);
        }
    }

    private static @Nullable String text(@Nullable JsonNode value) {
        if (value == null || value.isNull()) return null;
        return value.isString() ? value.asString() : value.toString();
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the server rolled back
        }
    }
}
