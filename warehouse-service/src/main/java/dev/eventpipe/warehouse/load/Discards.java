package dev.eventpipe.warehouse.load;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Values that could not go into their column, spooled to a local file in COPY text format while a table loads
 * (an upload may discard many), then loaded into {@code rudder_discards} in the same transaction as the table:
 * {@code table_name, row_id, column_name, column_value, received_at, uuid_ts, reason}, RudderStack's columns,
 * keyed by row, table and column.
 */
final class Discards implements AutoCloseable {
    static final List<String> COLUMNS =
            List.of("table_name", "row_id", "column_name", "column_value", "received_at", "uuid_ts", "reason");

    private final Path file;
    private final BufferedWriter out;
    private long count;

    Discards(Path dir) throws IOException {
        this.file = Files.createTempFile(dir, "discards-", ".tsv");
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    void add(
            String table,
            @Nullable String rowId,
            String column,
            @Nullable String value,
            @Nullable String receivedAt,
            String loadTs,
            String reason) {
        StringBuilder line = new StringBuilder();
        List<@Nullable String> values = new ArrayList<>(7);
        values.add(table);
        values.add(rowId);
        values.add(column);
        values.add(value == null ? null : ValueConverter.cleanText(value));
        values.add(receivedAt);
        values.add(loadTs);
        values.add(reason);
        CopyText.append(line, values);
        try {
            out.write(line.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        count++;
    }

    long count() {
        return count;
    }

    /** Copies the spooled rows into a table with the discards columns. */
    void copyInto(Connection c, String table) throws SQLException, IOException {
        out.flush();
        try (CopyText copy = new CopyText(c, table, COLUMNS);
                BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            char[] chunk = new char[64 * 1024];
            for (int n; (n = in.read(chunk)) > 0; ) copy.raw(new String(chunk, 0, n));
            copy.finish();
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
        Files.deleteIfExists(file);
    }
}
