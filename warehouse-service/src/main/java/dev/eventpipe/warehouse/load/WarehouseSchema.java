package dev.eventpipe.warehouse.load;

import dev.eventpipe.warehouse.schema.ColumnType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The warehouse's schema as it is (the source of truth: a column's existing type always wins) and the DDL that
 * grows it: the schema, new tables (with an index on the key the loads delete by) and new columns. Every
 * statement is idempotent, so a retried upload repeats it harmlessly; names are always quoted.
 */
final class WarehouseSchema {
    static final String DISCARDS = "rudder_discards";
    static final Map<String, ColumnType> DISCARDS_COLUMNS = discardsColumns();

    private static final String COLUMNS = """
            SELECT table_name, column_name, data_type FROM information_schema.columns
            WHERE table_schema = ? ORDER BY table_name, ordinal_position""";

    private WarehouseSchema() {}

    /** Table → column → PostgreSQL data type, for every table of the schema. */
    static Map<String, Map<String, String>> read(Connection c, String namespace) throws SQLException {
        Map<String, Map<String, String>> schema = new TreeMap<>();
        try (PreparedStatement st = c.prepareStatement(COLUMNS)) {
            st.setString(1, namespace);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next())
                    schema.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getString(3));
            }
        }
        return schema;
    }

    static void createSchema(Connection c, String namespace) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + q(namespace));
        } catch (SQLException e) {
            // two loaders creating one schema at once: the loser sees a unique violation; the schema exists
            if (!"23505".equals(e.getSQLState())) throw e;
        }
    }

    /** Creates a table with its key index, unless it exists. */
    static void createTable(Connection c, String namespace, String table, Map<String, ColumnType> columns)
            throws SQLException {
        StringJoiner defs = new StringJoiner(", ");
        columns.forEach((name, type) -> defs.add(q(name) + " " + type.postgresType()));
        String key = table.equals(DISCARDS) ? "row_id" : "id";
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + q(namespace) + "." + q(table) + " (" + defs + ")");
            if (columns.containsKey(key))
                st.execute("CREATE INDEX IF NOT EXISTS " + q(indexName(table)) + " ON " + q(namespace) + "." + q(table)
                        + " (" + q(key) + ")");
        } catch (SQLException e) {
            // created by another loader at the same moment: it exists now, which is what was asked
            if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) throw e;
        }
    }

    static void addColumns(Connection c, String namespace, String table, Map<String, ColumnType> columns)
            throws SQLException {
        if (columns.isEmpty()) return;
        StringJoiner adds = new StringJoiner(", ");
        columns.forEach((name, type) -> adds.add("ADD COLUMN IF NOT EXISTS " + q(name) + " " + type.postgresType()));
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE " + q(namespace) + "." + q(table) + " " + adds);
        }
    }

    /** A quoted identifier; names come from {@code Names} and are letters, digits and {@code _} only. */
    static String q(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String indexName(String table) {
        String name = table + "_eventpipe_key";
        return name.length() <= 63 ? name : name.substring(0, 49) + "_" + Integer.toHexString(table.hashCode());
    }

    private static Map<String, ColumnType> discardsColumns() {
        Map<String, ColumnType> m = new LinkedHashMap<>();
        m.put("table_name", ColumnType.STRING);
        m.put("row_id", ColumnType.STRING);
        m.put("column_name", ColumnType.STRING);
        m.put("column_value", ColumnType.STRING);
        m.put("received_at", ColumnType.DATETIME);
        m.put("uuid_ts", ColumnType.DATETIME);
        m.put("reason", ColumnType.STRING);
        return Collections.unmodifiableMap(m);
    }
}
