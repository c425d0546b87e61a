package dev.eventpipe.warehouse.load;

import dev.eventpipe.warehouse.schema.ColumnType;
import dev.eventpipe.warehouse.schema.WarehouseJson;
import dev.eventpipe.warehouse.staging.StagedRow;
import dev.eventpipe.warehouse.staging.StagingFiles;
import dev.eventpipe.warehouse.storage.ObjectStore;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The rows of an upload split per table into local files (plain JSON lines, so an upload with many event tables
 * holds one small buffer per table, not one compressor), with each table's columns: the type seen first wins,
 * as RudderStack consolidates staging schemas. The files live in a work directory deleted on close.
 */
final class UploadData implements AutoCloseable {
    /** One table of the upload. */
    static final class Table {
        final String name;
        final Path file;
        final Map<String, ColumnType> columns = new LinkedHashMap<>();
        long rows;
        boolean updatesUsers;
        private final BufferedWriter out;

        Table(String name, Path file) throws IOException {
            this.name = name;
            this.file = file;
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        }

        /** Every staged row of this table, in staging order. */
        void forEachRow(Consumer<StagedRow> each) throws IOException {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; )
                    each.accept(StagedRow.fromJson(WarehouseJson.MAPPER.readTree(line)));
            }
        }
    }

    private final Path dir;
    private final Map<String, Table> tables = new TreeMap<>();

    private UploadData(Path dir) {
        this.dir = dir;
    }

    /** Reads the staging files in order and splits their rows; fails as a whole if one cannot be read. */
    static UploadData split(ObjectStore store, List<String> locations, Path workRoot) throws IOException {
        Files.createDirectories(workRoot);
        UploadData data = new UploadData(Files.createTempDirectory(workRoot, "upload-"));
        try {
            for (String location : locations) StagingFiles.read(store.open(location), data::add);
            for (Table t : data.tables.values()) t.out.close();
            return data;
        } catch (IOException | RuntimeException e) {
            data.close();
            throw e;
        }
    }

    private void add(JsonNode line) {
        StagedRow row = StagedRow.fromJson(line);
        try {
            Table table = tables.get(row.table());
            if (table == null) {
                table = new Table(row.table(), dir.resolve("t" + tables.size() + ".jsonl"));
                tables.put(row.table(), table);
            }
            for (Map.Entry<String, ColumnType> c : row.columns().entrySet())
                table.columns.putIfAbsent(c.getKey(), c.getValue());
            table.updatesUsers |= row.updatesUsers();
            table.rows++;
            table.out.write(line.toString());
            table.out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tables, by name. */
    Map<String, Table> tables() {
        return tables;
    }

    @Override
    public void close() {
        for (Table t : tables.values()) {
            try {
                t.out.close();
            } catch (IOException ignored) {
                // deleted below anyway
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a work directory left behind is removed by the next start's cleanup
        }
    }
}
