package dev.eventpipe.warehouse.load;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams rows into {@code COPY ... FROM STDIN} in PostgreSQL's text format (tab-separated, {@code \N} for NULL,
 * backslash escapes), a buffer at a time, so a table of any size loads with little memory.
 */
final class CopyText implements AutoCloseable {
    private static final int FLUSH_AT = 256 * 1024;

    private final CopyIn copy;
    private final StringBuilder buffer = new StringBuilder(FLUSH_AT + 4096);
    private long rows;

    CopyText(Connection connection, String table, List<String> columns) throws SQLException {
        StringBuilder sql = new StringBuilder("COPY ").append(table).append(" (");
        for (int i = 0; i < columns.size(); i++)
            sql.append(i == 0 ? "" : ", ").append(WarehouseSchema.q(columns.get(i)));
        sql.append(") FROM STDIN");
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql.toString());
    }

    void row(List<@Nullable String> values) throws SQLException {
        append(buffer, values);
        rows++;
        if (buffer.length() >= FLUSH_AT) flush();
    }

    /** Appends one row in COPY text format, newline included. */
    static void append(StringBuilder out, List<@Nullable String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) out.append('\t');
            String v = values.get(i);
            if (v == null) out.append("\\N");
            else escape(out, v);
        }
        out.append('\n');
    }

    /** Adds rows already in COPY text format (a spooled file's contents). */
    void raw(String lines) throws SQLException {
        buffer.append(lines);
        if (buffer.length() >= FLUSH_AT) flush();
    }

    long rows() {
        return rows;
    }

    /** Ends the COPY; returns the rows PostgreSQL took. */
    long finish() throws SQLException {
        flush();
        return copy.endCopy();
    }

    @Override
    public void close() throws SQLException {
        if (copy.isActive()) copy.cancelCopy();
    }

    private void flush() throws SQLException {
        if (buffer.isEmpty()) return;
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        buffer.setLength(0);
    }

    private static void escape(StringBuilder out, String v) {
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(ch);
            }
        }
    }
}
