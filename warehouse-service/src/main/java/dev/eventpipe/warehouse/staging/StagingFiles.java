package dev.eventpipe.warehouse.staging;

import dev.eventpipe.warehouse.schema.WarehouseJson;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Gzip JSON lines: how staging files and archives are written and read. */
public final class StagingFiles {
    static final JsonMapper MAPPER = WarehouseJson.MAPPER;

    private StagingFiles() {}

    /** Writes lines to a gzip file, one JSON document per line. */
    public static final class Writer implements AutoCloseable {
        private final BufferedWriter out;
        private long lines;

        public Writer(Path file) throws IOException {
            this.out = new BufferedWriter(new OutputStreamWriter(
                    new GZIPOutputStream(Files.newOutputStream(file), 64 * 1024), StandardCharsets.UTF_8));
        }

        public void write(JsonNode line) throws IOException {
            out.write(MAPPER.writeValueAsString(line));
            out.write('\n');
            lines++;
        }

        /** A line that is already JSON text (archives keep the event bytes as the gateway stored them). */
        public void writeRaw(String json) throws IOException {
            out.write(json);
            out.write('\n');
            lines++;
        }

        public long lines() {
            return lines;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Calls {@code each} with every line of a gzip JSON-lines stream, in order; closes the stream. */
    public static void read(InputStream in, Consumer<JsonNode> each) throws IOException {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(new GZIPInputStream(in, 64 * 1024), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank()) continue;
                try {
                    each.accept(MAPPER.readTree(line));
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
        }
    }

    /** The raw lines of a gzip JSON-lines stream; closes the stream. */
    public static void readRaw(InputStream in, Consumer<String> each) throws IOException {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(new GZIPInputStream(in, 64 * 1024), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) if (!line.isBlank()) each.accept(line);
        }
    }
}
