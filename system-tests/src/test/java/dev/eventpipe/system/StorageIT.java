package dev.eventpipe.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The storage soak (issue 13, "Prove it"): events to two webhook destinations of one source while one of them
 * answers 503 to everything; then it recovers. The real gateway, processor, transformer and router run as
 * processes on one PostgreSQL, with small datasets and a short compaction age so that drops and compactions
 * happen within the run. The job tables are sampled every {@code soak.sampleSeconds} (2) into
 * {@code system-tests/target/storage-soak.csv}.
 *
 * <p>What holds: while the destination is down the healthy one gets every event; once the load has been
 * stored, the rt jobs table shrinks to at most the live jobs plus one dataset (the healthy destination's
 * finished jobs are compacted or dropped away) and the gw jobs table to at most two datasets; after the
 * recovery every event reaches both destinations (at least once), in per-user order, and the rt jobs table
 * shrinks to at most one dataset.
 *
 * <p>Short form (CI): {@value #DEFAULT_EVENTS} events, datasets of 2,000 ids, compaction after 5 s. Full form: {@code -Dsoak.events=1000000 -Dsoak.datasetJobs=100000
 * -Dsoak.compactionMinAge=2m} (see jobsdb/README.md).
 */
class StorageIT {
    static final int DEFAULT_EVENTS = 4_000;
    private static final int EVENTS = Integer.getInteger("soak.events", DEFAULT_EVENTS);
    private static final int USERS = Integer.getInteger("soak.users", 20);
    private static final int DATASET_JOBS = Integer.getInteger("soak.datasetJobs", 2_000);
    private static final String COMPACTION_MIN_AGE = System.getProperty("soak.compactionMinAge", "5s");
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(Long.getLong("soak.sampleSeconds", 2));
    /** Generous: the machine may be busy; nothing here measures speed. */
    private static final Duration PHASE = Duration.ofMinutes(Math.max(10, EVENTS / 1_000));

    @TempDir
    Path dir;

    private Sink healthy;
    private Sink down;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private volatile String phase = "start";

    record Sample(
            long atMillis,
            String phase,
            long gwBytes,
            long gwJobs,
            long gwStatuses,
            long gwDatasets,
            long rtBytes,
            long rtJobs,
            long rtStatuses,
            long rtLive,
            long rtDatasets,
            long compactions,
            int acknowledged,
            int deliveredHealthy,
            int deliveredRecovered) {
        static final String HEADER = "seconds,phase,gw_bytes,gw_jobs,gw_statuses,gw_datasets,rt_bytes,rt_jobs,"
                + "rt_statuses,rt_live,rt_datasets,compactions,acknowledged,delivered_healthy,delivered_recovered";

        String csv(long start) {
            return String.join(
                    ",",
                    List.of(
                            String.valueOf((atMillis - start) / 1000),
                            phase,
                            String.valueOf(gwBytes),
                            String.valueOf(gwJobs),
                            String.valueOf(gwStatuses),
                            String.valueOf(gwDatasets),
                            String.valueOf(rtBytes),
                            String.valueOf(rtJobs),
                            String.valueOf(rtStatuses),
                            String.valueOf(rtLive),
                            String.valueOf(rtDatasets),
                            String.valueOf(compactions),
                            String.valueOf(acknowledged),
                            String.valueOf(deliveredHealthy),
                            String.valueOf(deliveredRecovered)));
        }
    }

    @Test
    void withOneOfTwoDestinationsDownTheJobTablesStayBoundedAndEveryEventArrivesAfterItRecovers() throws Exception {
        Map<String, String> settings = Map.of(
                "JOBSDB_MAXDATASETJOBS",
                String.valueOf(DATASET_JOBS),
                "JOBSDB_COMPACTIONMINAGE",
                COMPACTION_MIN_AGE,
                "JOBSDB_COMPACTIONCHECKINTERVAL",
                "5s",
                // the archive copy (arc queue) is drained by the warehouse service, which this test does not run
                "ARCHIVE_ENABLED",
                "false");
        try (Cluster cluster = new Cluster(dir, false, settings, c -> {
            healthy = c.sink;
            down = c.newSink();
            return Cluster.webhookSource(healthy.url(), down.url());
        })) {
            database = cluster.database;
            down.script = event -> new Sink.Reply(503);
            cluster.startPipeline();

            EventLoad load = new EventLoad(
                    cluster.gateways.getFirst().url("/v1/batch"),
                    Cluster.WRITE_KEY,
                    USERS,
                    EVENTS / USERS,
                    20,
                    Duration.ZERO);
            Thread sampler = Thread.ofVirtual().start(() -> sample(cluster, load));
            try {
                phase = "load";
                load.start();
                Awaitility.await("the load acknowledged").atMost(PHASE).until(load::finished);
                assertThat(load.acknowledged).hasSize(USERS * (EVENTS / USERS));

                phase = "outage";
                Awaitility.await("the healthy destination has every event")
                        .atMost(PHASE)
                        .until(() -> distinct(healthy) >= load.acknowledged.size());
                assertThat(down.accepted).isEmpty();
                assertThat(down.rejected.get()).isPositive();
                // the healthy destination's finished jobs are compacted or dropped away; the gw jobs are all done
                Awaitility.await("rt jobs bounded by the live jobs and one dataset; gw jobs by two datasets")
                        .atMost(PHASE)
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> {
                            Sample s = measure(load);
                            return s.rtJobs() <= s.rtLive() + DATASET_JOBS && s.gwJobs() <= 2L * DATASET_JOBS;
                        });
                Sample outage = measure(load);
                assertThat(outage.rtLive()).isEqualTo(load.acknowledged.size()); // only the down destination's

                phase = "recovery";
                down.script = null;
                Awaitility.await("the recovered destination has every event")
                        .atMost(PHASE)
                        .until(() -> distinct(down) >= load.acknowledged.size());
                assertAllInOrder("healthy", healthy, load);
                assertAllInOrder("recovered", down, load);
                Awaitility.await("rt jobs shrink to at most one dataset")
                        .atMost(PHASE)
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> measure(load).rtJobs() <= DATASET_JOBS);
                phase = "end";
                samples.add(measure(load));
            } finally {
                sampler.interrupt();
                sampler.join();
                report();
            }
        }
    }

    private static int distinct(Sink sink) {
        Set<String> ids = new HashSet<>();
        for (JsonNode e : sink.accepted) ids.add(e.path("messageId").asString());
        return ids.size();
    }

    /**
     * Every acknowledged event arrived, each user's in the order sent (first arrivals). Delivery is at least once:
     * an attempt the router counts as failed although the sink took it (an answer later than the router's
     * timeout, say) is sent again; how many arrived twice is printed.
     */
    private static void assertAllInOrder(String name, Sink sink, EventLoad load) {
        Set<String> seen = new HashSet<>();
        Map<String, List<Integer>> byUser = new TreeMap<>();
        for (JsonNode e : sink.accepted) {
            if (!seen.add(e.path("messageId").asString())) continue;
            byUser.computeIfAbsent(e.path("userId").asString(), u -> new ArrayList<>())
                    .add(e.path("properties").path("seq").asInt());
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(load.acknowledged);
        assertThat(byUser).hasSize(USERS);
        byUser.forEach((user, seqs) -> assertThat(seqs).as(user).isSorted());
        System.out.println("storage soak: " + name + " destination got " + sink.accepted.size() + " deliveries of "
                + seen.size() + " events");
    }

    private void sample(Cluster cluster, EventLoad load) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                samples.add(measure(load));
                Thread.sleep(SAMPLE_EVERY);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a sample may race a drop (a partition gone between listing and sizing): the next one counts
            }
        }
    }

    private volatile dev.eventpipe.testkit.TestPostgres.Database database;

    private Sample measure(EventLoad load) {
        try (Connection c = database.connect();
                Statement s = c.createStatement()) {
            return new Sample(
                    System.currentTimeMillis(),
                    phase,
                    one(s, bytes("gw")),
                    one(s, "SELECT count(*) FROM gw_jobs"),
                    one(s, "SELECT count(*) FROM gw_job_status"),
                    one(s, "SELECT count(*) FROM jobsdb_datasets WHERE queue = 'gw'"),
                    one(s, bytes("rt")),
                    one(s, "SELECT count(*) FROM rt_jobs"),
                    one(s, "SELECT count(*) FROM rt_job_status"),
                    one(s, """
                            SELECT count(*) FROM rt_jobs j WHERE NOT EXISTS (SELECT 1 FROM rt_job_status s \
                            WHERE s.job_id = j.job_id AND s.job_state IN ('succeeded', 'aborted', 'filtered'))"""),
                    one(s, "SELECT count(*) FROM jobsdb_datasets WHERE queue = 'rt'"),
                    one(s, "SELECT coalesce(sum(compactions), 0) FROM jobsdb_datasets"),
                    load.acknowledged.size(),
                    distinct(healthy),
                    distinct(down));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes of a queue's attached partitions (jobs and statuses), with indexes and TOAST. */
    private static String bytes(String queue) {
        return """
                SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0) FROM pg_inherits i \
                WHERE i.inhparent IN ('%s_jobs'::regclass, '%s_job_status'::regclass)""".formatted(queue, queue);
    }

    private static long one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void report() throws IOException {
        if (samples.isEmpty()) return;
        long start = samples.getFirst().atMillis();
        List<String> lines = new ArrayList<>(List.of(Sample.HEADER));
        samples.forEach(s -> lines.add(s.csv(start)));
        Path csv = Path.of(System.getProperty("eventpipe.root", ".."), "system-tests/target/storage-soak.csv");
        try {
            Files.createDirectories(csv.getParent());
            Files.write(csv, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the largest rt and gw tables per phase, for the README's table
        Map<String, long[]> peaks = new TreeMap<>();
        for (Sample s : samples) {
            long[] p = peaks.computeIfAbsent(s.phase(), k -> new long[6]);
            p[0] = Math.max(p[0], s.rtBytes());
            p[1] = Math.max(p[1], s.rtJobs());
            p[2] = Math.max(p[2], s.rtStatuses());
            p[3] = Math.max(p[3], s.gwBytes());
            p[4] = Math.max(p[4], s.gwJobs());
            p[5] = Math.max(p[5], s.compactions());
        }
        System.out.println("storage soak: " + EVENTS + " events, " + samples.size() + " samples in " + csv);
        peaks.forEach((phase, p) -> System.out.printf(
                "  %-9s peak rt %,d bytes %,d jobs %,d statuses; gw %,d bytes %,d jobs; compactions %d%n",
                phase, p[0], p[1], p[2], p[3], p[4], p[5]));
        Sample last = samples.getLast();
        System.out.println("  last: " + Sample.HEADER + "\n        " + last.csv(start));
    }
}
