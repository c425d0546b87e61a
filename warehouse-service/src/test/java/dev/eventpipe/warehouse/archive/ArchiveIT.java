package dev.eventpipe.warehouse.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.jobsdb.JobQuery;
import dev.eventpipe.jobsdb.JobsDbSettings;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.config.FileConfigOrigin;
import dev.eventpipe.model.config.LastGoodConfigStore;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.testkit.TestPostgres;
import dev.eventpipe.warehouse.config.WarehouseProperties;
import dev.eventpipe.warehouse.lease.LeaderLease;
import dev.eventpipe.warehouse.staging.StagingFiles;
import dev.eventpipe.warehouse.storage.LocalObjectStore;
import dev.eventpipe.warehouse.storage.ObjectStore;
import dev.eventpipe.warehouse.storage.StorageSettings;
import dev.eventpipe.warehouse.support.WorkspaceFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;

/**
 * The archiver and the replay on a real PostgreSQL and a local archive directory: files per source and hour, the
 * current hour held back, files cut by size, a storage outage that loses nothing, a crash between the put and the
 * commit that archives nothing twice, retention, and a replay of a time range into the gw queue.
 */
class ArchiveIT {
    @TempDir
    Path dir;

    DataSource dataSource;
    JobsDbs jobsDbs;
    LeaderLease lease;
    TransactionTemplate tx;
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2024-05-01T12:30:00Z"));
    InstantSource clock = () -> now.get();
    LocalObjectStore local;

    @BeforeEach
    void setUp() throws IOException {
        TestPostgres.Database db = TestPostgres.newDatabase();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(db.url());
        ds.setUser(db.user());
        ds.setPassword(db.password());
        dataSource = ds;
        jobsDbs = JobsDbs.open(ds, JobsDbSettings.defaults());
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/warehouse")
                .table("warehouse_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        lease = new LeaderLease(ds, "warehouse", "me", Duration.ofSeconds(30));
        assertThat(lease.renew()).isTrue();
        tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        local = new LocalObjectStore(dir.resolve("archive"));
    }

    WarehouseProperties.Archive settings(long maxFileBytes) {
        return new WarehouseProperties.Archive(
                true,
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                DataSize.ofBytes(maxFileBytes),
                50,
                64,
                Duration.ofDays(90),
                new StorageSettings("local", dir.resolve("archive").toString(), null));
    }

    ArchiveLoop loop(ObjectStore store, long maxFileBytes) {
        return new ArchiveLoop(
                jobsDbs.queue(Queue.ARC),
                store,
                new ArchiveFiles(dataSource),
                lease,
                tx,
                settings(maxFileBytes),
                dir.resolve("work"),
                clock);
    }

    /** Arc jobs as the processor writes them: one per event, the archive line as payload. */
    void arc(String sourceId, String receivedAt, int count) {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String messageId = sourceId + "-" + receivedAt + "-" + i;
            Map<String, Object> line = Map.of(
                    "userId", "<<>>a" + i + "<<>>u" + i,
                    "payload", Map.of("type", "track", "event", "E", "messageId", messageId, "userId", "u" + i),
                    "createdAt", receivedAt,
                    "messageId", messageId,
                    "receivedAt", receivedAt,
                    "requestIP", "10.0.0." + i,
                    "jobId", i);
            String params = Json.writeString(Map.of("source_id", sourceId, "received_at", receivedAt));
            jobs.add(NewJob.of("<<>>a" + i + "<<>>u" + i, "ws-1", "GW", params, Json.writeString(line)));
        }
        jobsDbs.queue(Queue.ARC).store(jobs);
    }

    List<String> archivedMessageIds(ObjectStore store, String prefix) throws IOException {
        List<String> ids = new ArrayList<>();
        for (ObjectStore.StoredObject o : store.list(prefix)) {
            try (InputStream in = store.open(o.key())) {
                StagingFiles.read(in, line -> ids.add(line.path("messageId").asString()));
            }
        }
        return ids;
    }

    long unarchived() {
        return jobsDbs.queue(Queue.ARC).fetchUnprocessed(JobQuery.first(10_000)).size();
    }

    @Test
    void eventsAreFiledPerSourceAndHourOnceTheHourIsOverListableByDay() throws Exception {
        arc("src-1", "2024-05-01T10:15:00.000Z", 3);
        arc("src-2", "2024-05-01T10:20:00.000Z", 2);
        arc("src-1", "2024-05-01T11:05:00.000Z", 2);
        arc("src-1", "2024-05-01T12:10:00.000Z", 4); // the current hour: held back

        assertThat(loop(local, 1 << 20).runOnce(false)).isEqualTo(7);

        List<ObjectStore.StoredObject> day = local.list(ArchivePaths.dayPrefix("src-1", LocalDate.parse("2024-05-01")));
        assertThat(day)
                .extracting(ObjectStore.StoredObject::key)
                .hasSize(2)
                .allMatch(k -> k.matches("src-1/gw/2024-05-01/1[01]/\\d+-[0-9a-f]{8}\\.json\\.gz"));
        assertThat(archivedMessageIds(local, "src-1/gw/2024-05-01/10/")).hasSize(3);
        assertThat(archivedMessageIds(local, "src-2/gw/2024-05-01/")).hasSize(2);
        assertThat(unarchived()).isEqualTo(4);
        assertThat(new ArchiveFiles(dataSource)
                        .list(
                                "ws-1",
                                "src-1",
                                Instant.parse("2024-05-01T00:00:00Z"),
                                Instant.parse("2024-05-02T00:00:00Z"),
                                100))
                .extracting(ArchiveFiles.ArchiveFile::events)
                .containsExactly(3, 2);

        now.set(Instant.parse("2024-05-01T13:06:00Z"));
        assertThat(loop(local, 1 << 20).runOnce(false)).isEqualTo(4);
        assertThat(unarchived()).isZero();
    }

    @Test
    void aBusyHourIsCutIntoSeveralFiles() throws Exception {
        arc("src-1", "2024-05-01T10:15:00.000Z", 10);
        loop(local, 600).runOnce(false);
        assertThat(local.list("src-1/gw/2024-05-01/10/").size()).isGreaterThan(2);
        assertThat(archivedMessageIds(local, "src-1/")).hasSize(10).doesNotHaveDuplicates();
    }

    @Test
    void aStorageOutageDelaysTheArchiveAndLosesNothing() throws Exception {
        arc("src-1", "2024-05-01T10:15:00.000Z", 5);
        ObjectStore down = failing(local, () -> true);
        assertThatThrownBy(() -> loop(down, 1 << 20).runOnce(false)).isInstanceOf(IOException.class);
        assertThat(unarchived()).isEqualTo(5);

        assertThat(loop(local, 1 << 20).runOnce(false)).isEqualTo(5);
        assertThat(archivedMessageIds(local, "src-1/")).hasSize(5);
    }

    @Test
    void aCrashBetweenThePutAndTheCommitArchivesNothingTwice() throws Exception {
        arc("src-1", "2024-05-01T10:15:00.000Z", 6);
        // the put succeeds, then the lease moves away before the commit: as if the process died there
        ObjectStore stealLease = new ForwardingStore(local) {
            @Override
            public void put(String key, Path file) throws IOException {
                super.put(key, file);
                JdbcClient.create(dataSource)
                        .sql("UPDATE wh_leases SET holder = 'other', expires_at = now() - interval '1 second'")
                        .update();
            }
        };
        assertThatThrownBy(() -> loop(stealLease, 1 << 20).runOnce(false))
                .isInstanceOf(LeaderLease.LeaseLostException.class);
        assertThat(unarchived()).isEqualTo(6);
        arc("src-1", "2024-05-01T10:40:00.000Z", 2); // a late event of the same hour arrives meanwhile

        assertThat(lease.renew()).isTrue();
        assertThat(loop(local, 1 << 20).runOnce(false)).isEqualTo(8);
        assertThat(local.list("src-1/")).hasSize(1); // the same name, written again
        assertThat(archivedMessageIds(local, "src-1/")).hasSize(8).doesNotHaveDuplicates();
    }

    @Test
    void filesOlderThanTheRetentionAreDeleted() throws Exception {
        arc("src-1", "2024-01-01T10:00:00.000Z", 1);
        arc("src-1", "2024-04-30T10:00:00.000Z", 1);
        loop(local, 1 << 20).runOnce(false);
        ArchiveRetention retention =
                new ArchiveRetention(new ArchiveFiles(dataSource), local, lease, Duration.ofDays(30), clock);
        assertThat(retention.runOnce()).isEqualTo(1);
        assertThat(local.list("src-1/gw/2024-01-01/")).isEmpty();
        assertThat(local.list("src-1/gw/2024-04-30/")).hasSize(1);
    }

    @Test
    void aReplayStoresTheRangesEventsAsNewGwJobsAndResumesAfterItsLastFile() throws Exception {
        arc("src-1", "2024-05-01T09:50:00.000Z", 2);
        arc("src-1", "2024-05-01T10:15:00.000Z", 3);
        arc("src-1", "2024-05-01T10:45:00.000Z", 1);
        arc("src-1", "2024-05-01T11:30:00.000Z", 2);
        loop(local, 1 << 20).runOnce(false);
        Path config = dir.resolve("workspace.json");
        Files.writeString(config, WorkspaceFiles.config("ws-1", Map.of("src-1", Map.of())));
        WorkspaceConfigClient client = new WorkspaceConfigClient(
                new FileConfigOrigin(config), LastGoodConfigStore.NONE, Duration.ofMinutes(1));
        client.refresh();
        ArchiveReplays replays = new ArchiveReplays(dataSource);
        long id = replays.create(
                "ws-1", "src-1", Instant.parse("2024-05-01T10:00:00Z"), Instant.parse("2024-05-01T11:00:00Z"));
        ArchiveReplayer replayer = new ArchiveReplayer(replays, local, jobsDbs.queue(Queue.GW), client, lease, tx);

        assertThat(replayer.runOnce()).isEqualTo(4);
        var gw = jobsDbs.queue(Queue.GW).fetchUnprocessed(JobQuery.first(100));
        assertThat(gw).hasSize(4);
        JsonNode payload = Json.mapper().readTree(gw.getFirst().payload());
        assertThat(payload.path("batch").get(0).path("messageId").asString()).startsWith("src-1-2024-05-01T10:");
        assertThat(payload.path("requestIP").asString()).startsWith("10.0.0.");
        assertThat(Json.mapper()
                        .readTree(gw.getFirst().parameters())
                        .path("archive_replay")
                        .asLong())
                .isEqualTo(id);
        assertThat(gw.getFirst().userId()).startsWith("<<>>a");
        assertThat(replays.get(id).orElseThrow().state()).isEqualTo("done");
        assertThat(replayer.runOnce()).isZero(); // finished: never replayed twice
    }

    static ObjectStore failing(ObjectStore delegate, java.util.function.BooleanSupplier down) {
        return new ForwardingStore(delegate) {
            @Override
            public void put(String key, Path file) throws IOException {
                if (down.getAsBoolean()) throw new IOException("storage is down");
                super.put(key, file);
            }
        };
    }

    static class ForwardingStore implements ObjectStore {
        private final ObjectStore delegate;

        ForwardingStore(ObjectStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void put(String key, Path file) throws IOException {
            delegate.put(key, file);
        }

        @Override
        public InputStream open(String key) throws IOException {
            return delegate.open(key);
        }

        @Override
        public List<StoredObject> list(String prefix) throws IOException {
            return delegate.list(prefix);
        }

        @Override
        public void delete(String key) throws IOException {
            delegate.delete(key);
        }

        @Override
        public String describe() {
            return delegate.describe();
        }
    }
}
