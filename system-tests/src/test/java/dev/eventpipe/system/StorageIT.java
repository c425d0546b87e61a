package dev.eventpipe.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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
    private final Deliveries toHealthy = new Deliveries();
    private final Deliveries toRecovered = new Deliveries();
    private final Path csv =
            Path.of(System.getProperty("eventpipe.root", ".."), "system-tests/target/storage-soak.csv");
    private final long start = System.currentTimeMillis();
    private long lastProgress;
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
                // the destination is down for the whole load, however long this machine takes for it: its jobs
                // must not reach the abort of RudderStack's 180-minute retry window
                "ROUTER_DEFAULTS_RETRYWINDOW",
                "24h",
                // the archive copy (arc queue) is drained by the warehouse service, which this test does not run
                "ARCHIVE_ENABLED",
                "false");
        try (Cluster cluster = new Cluster(dir, false, settings, c -> {
            healthy = c.sink;
            down = c.newSink();
            return Cluster.webhookSource(healthy.url(), down.url());
        })) {
            database = cluster.database;
            healthy.recorder = toHealthy;
            down.recorder = toRecovered;
            down.script = event -> new Sink.Reply(503);
            Files.createDirectories(csv.getParent());
            Files.write(csv, List.of(Sample.HEADER)); // a line per sample as it is taken: a stopped run keeps its curve
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
                        .until(() -> toHealthy.distinct() >= load.acknowledged.size());
                assertThat(toRecovered.deliveries.get()).isZero();
                assertThat(down.rejected.get()).isPositive();
                // the healthy destination's finished jobs are compacted or dropped away; the gw jobs are all done
                Awaitility.await("rt jobs bounded by the live jobs and one dataset; gw jobs by two datasets")
                        .atMost(PHASE)
                        .pollInterval(SAMPLE_EVERY)
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
                        .until(() -> toRecovered.distinct() >= load.acknowledged.size());
                assertAllInOrder("healthy", toHealthy, load);
                assertAllInOrder("recovered", toRecovered, load);
                Awaitility.await("rt jobs shrink to at most one dataset")
                        .atMost(PHASE)
                        .pollInterval(SAMPLE_EVERY)
                        .until(() -> measure(load).rtJobs() <= DATASET_JOBS);
                phase = "end";
                keep(measure(load));
            } finally {
                sampler.interrupt();
                sampler.join();
                report();
            }
        }
    }

    /**
     * What a sink accepted, kept small enough for a million events: the distinct messageIds, the number of
     * deliveries, and per user the highest {@code seq} of the first arrivals so far (a first arrival below it is
     * out of order).
     */
    static final class Deliveries implements Consumer<JsonNode> {
        final Set<String> ids = ConcurrentHashMap.newKeySet();
        final AtomicLong deliveries = new AtomicLong();
        private final Map<String, Integer> highestSeq = new HashMap<>();
        private final List<String> outOfOrder = new ArrayList<>();
        private long outOfOrderCount;

        @Override
        public synchronized void accept(JsonNode event) {
            deliveries.incrementAndGet();
            if (!ids.add(event.path("messageId").asString())) return; // a redelivery: only first arrivals count
            String user = event.path("userId").asString();
            int seq = event.path("properties").path("seq").asInt();
            Integer highest = highestSeq.get(user);
            if (highest != null && seq < highest) {
                outOfOrderCount++;
                if (outOfOrder.size() < 20) outOfOrder.add(user + ": " + seq + " after " + highest);
            } else {
                highestSeq.put(user, seq);
            }
        }

        int distinct() {
            return ids.size();
        }

        synchronized int users() {
            return highestSeq.size();
        }

        synchronized String outOfOrder() {
            return outOfOrderCount == 0 ? "" : outOfOrderCount + " first arrivals out of order, e.g. " + outOfOrder;
        }
    }

    /**
     * Every acknowledged event arrived, each user's in the order sent (first arrivals). Delivery is at least once:
     * an attempt the router counts as failed although the sink took it (an answer later than the router's
     * timeout, say) is sent again; how many arrived twice is printed.
     */
    private static void assertAllInOrder(String name, Deliveries got, EventLoad load) {
        assertThat(examples(load.acknowledged, got.ids))
                .as(name + ": acknowledged, not delivered")
                .isEmpty();
        assertThat(examples(got.ids, load.acknowledged))
                .as(name + ": delivered, never acknowledged")
                .isEmpty();
        assertThat(got.users()).isEqualTo(USERS);
        assertThat(got.outOfOrder()).as(name).isEmpty();
        System.out.println("storage soak: " + name + " destination got " + got.deliveries.get() + " deliveries of "
                + got.distinct() + " events");
    }

    /** How many of {@code these} are not in {@code those}, with up to ten of them ("" when none). */
    private static String examples(Set<String> these, Set<String> those) {
        List<String> some = new ArrayList<>();
        long count = 0;
        for (String id : these) {
            if (those.contains(id)) continue;
            if (count++ < 10) some.add(id);
        }
        return count == 0 ? "" : count + ", e.g. " + some;
    }

    private void sample(Cluster cluster, EventLoad load) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                keep(measure(load));
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
                    toHealthy.distinct(),
                    toRecovered.distinct());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keeps a sample, appends it to the csv and, once a minute, prints where the run is. */
    private synchronized void keep(Sample s) {
        samples.add(s);
        try {
            Files.writeString(csv, s.csv(start) + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (s.atMillis() - lastProgress < 60_000) return;
        lastProgress = s.atMillis();
        String load;
        try {
            load = Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException | RuntimeException e) {
            load = "?";
        }
        System.out.printf(
                "storage soak %ds %s: acknowledged %,d, delivered %,d + %,d; rt %,d bytes %,d jobs (%,d live) %,d"
                        + " statuses %d datasets; gw %,d bytes %,d jobs; compactions %d; load %s%n",
                (s.atMillis() - start) / 1000,
                s.phase(),
                s.acknowledged(),
                s.deliveredHealthy(),
                s.deliveredRecovered(),
                s.rtBytes(),
                s.rtJobs(),
                s.rtLive(),
                s.rtStatuses(),
                s.rtDatasets(),
                s.gwBytes(),
                s.gwJobs(),
                s.compactions(),
                load);
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
