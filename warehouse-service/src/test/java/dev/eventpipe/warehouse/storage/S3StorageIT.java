package dev.eventpipe.warehouse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.testkit.TestPostgres;
import dev.eventpipe.warehouse.load.UploadLoader;
import dev.eventpipe.warehouse.load.WarehouseSettings;
import dev.eventpipe.warehouse.schema.EventMapper;
import dev.eventpipe.warehouse.schema.EventMeta;
import dev.eventpipe.warehouse.schema.MappingOptions;
import dev.eventpipe.warehouse.schema.WarehouseJson;
import dev.eventpipe.warehouse.schema.WarehouseRow;
import dev.eventpipe.warehouse.staging.StagedRow;
import dev.eventpipe.warehouse.staging.StagingFiles;
import dev.eventpipe.warehouse.support.WorkspaceFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** The S3 store (AWS SDK for Java v2) against a real S3 API server, Adobe's S3Mock, started by the test. */
class S3StorageIT {
    @TempDir
    static Path dir;

    static S3MockServer s3;

    @BeforeAll
    static void start() throws IOException {
        s3 = S3MockServer.start("eventpipe", Files.createDirectories(dir.resolve("s3root")));
    }

    @AfterAll
    static void stop() {
        if (s3 != null) s3.close();
    }

    @Test
    void anS3BucketKeepsTheStorageContractUnderItsPrefix() throws Exception {
        try (S3ObjectStore store = new S3ObjectStore(s3.settings("eventpipe", "/archive/"))) {
            ObjectStoreContract.check(store, Files.createDirectories(dir.resolve("tmp")));
            assertThat(store.describe()).isEqualTo("s3://eventpipe/archive/");
        }
        try (S3ObjectStore other = new S3ObjectStore(s3.settings("eventpipe", "staging"))) {
            assertThat(other.list("src-1/")).isEmpty(); // another prefix sees none of it
        }
    }

    @Test
    void anUploadLoadsItsStagingFilesFromS3() throws Exception {
        TestPostgres.Database warehouse = TestPostgres.newDatabase();
        try (S3ObjectStore store = new S3ObjectStore(s3.settings("eventpipe", "staging"))) {
            Path file = Files.createTempFile(dir, "staging", ".json.gz");
            try (StagingFiles.Writer out = new StagingFiles.Writer(file)) {
                for (int i = 0; i < 3; i++) {
                    ObjectNode event = (ObjectNode) WarehouseJson.MAPPER.readTree(
                            "{\"type\":\"track\",\"event\":\"From S3\",\"properties\":{\"n\":" + i + "}}");
                    EventMeta meta = new EventMeta("m" + i, "2024-05-01T10:00:00.000Z", "src", "HTTP", "dst");
                    for (WarehouseRow row : EventMapper.map(event, meta, MappingOptions.defaults())) {
                        ObjectNode data = WarehouseJson.MAPPER.createObjectNode();
                        row.values().forEach(data::set);
                        out.write(new StagedRow(row.table(), row.columns(), data, false).toJson());
                    }
                }
            }
            store.put("w/s/d/2024-05-01/1-x.json.gz", file);
            UploadLoader loader = new UploadLoader(new UploadLoader.Settings(
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(60),
                    1600,
                    dir.resolve("work"),
                    WorkspaceFiles.allowing(warehouse)));
            loader.load(
                    new UploadLoader.Job(
                            1,
                            WarehouseSettings.of(WorkspaceFiles.postgres(warehouse, Map.of())),
                            "from_s3",
                            store,
                            List.of("w/s/d/2024-05-01/1-x.json.gz"),
                            false,
                            false,
                            Instant.now(),
                            Set.of()),
                    new UploadLoader.Progress() {
                        @Override
                        public void started(String table, long rows) {}

                        @Override
                        public void loaded(String table, long rows, long discards) {}
                    });
        }
        try (Connection c = warehouse.connect();
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM from_s3.from_s3")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(3);
        }
    }

    @Test
    void aMissingBucketIsAnIoErrorTheCallersRetry() throws Exception {
        try (S3ObjectStore store = new S3ObjectStore(s3.settings("no-such-bucket", ""))) {
            Path file = Files.writeString(dir.resolve("f.txt"), "x");
            assertThatThrownBy(() -> store.put("a/b.json.gz", file)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> store.list("a/")).isInstanceOf(IOException.class);
        }
    }
}
