package dev.eventpipe.jobsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DatasetLifecycleIT {
    HikariDataSource dataSource;
    JdbcClient sql;
    AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

    @BeforeEach
    void open() {
        dataSource = TestDatabase.create();
        sql = JdbcClient.create(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    private JobsDbs open(long maxJobs, long maxBytes, Duration maxAge) {
        var settings = new JobsDbSettings(maxJobs, maxBytes, maxAge, Duration.ofSeconds(5), true);
        InstantSource clock = () -> now.get();
        return JobsDbs.open(dataSource, settings, new SimpleMeterRegistry(), clock);
    }

    private List<Integer> datasets(Queue queue) {
        return sql.sql("SELECT idx FROM jobsdb_datasets WHERE queue = :q ORDER BY idx")
                .param("q", queue.prefix())
                .query(Integer.class)
                .list();
    }

    /** The dataset tables of a queue, e.g. gw_jobs_3 and gw_job_status_3. */
    private List<String> datasetTables(Queue queue) {
        return sql.sql("SELECT tablename FROM pg_tables WHERE tablename ~ :pattern ORDER BY tablename")
                .param("pattern", "^" + queue.prefix() + "_job(s|_status)_[0-9]+$")
                .query(String.class)
                .list();
    }

    private static List<NewJob> batch(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> NewJob.of(
                        "user-" + (i % 100),
                        "ws",
                        "GW",
                        "{}",
                        "{\"batch\":[{\"type\":\"track\",\"event\":\"e" + i
                                + "\",\"properties\":{\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxx\"}}]}"))
                .toList();
    }

    @Test
    void underSteadyLoadCompletedDatasetsAreDroppedAndDiskStaysBounded() {
        JobsDbs dbs = open(20_000, Long.MAX_VALUE, Duration.ofDays(1));
        JobsDb gw = dbs.queue(Queue.GW);
        long afterJobId = 0;
        int total = 0;
        long maxDatasetsSeen = 0;
        while (total < 300_000) {
            gw.store(batch(5_000));
            total += 5_000;
            List<Job> picked = gw.fetchUnprocessed(JobQuery.first(5_000).after(afterJobId));
            afterJobId = picked.getLast().jobId();
            Instant t = Instant.now();
            gw.updateStatus(picked.stream()
                    .map(j -> StatusUpdate.of(j.jobId(), JobState.SUCCEEDED, 1, t))
                    .toList());
            dbs.maintenance().runOnce();
            maxDatasetsSeen = Math.max(maxDatasetsSeen, datasets(Queue.GW).size());
        }
        // 300,000 jobs went through datasets of 20,000; at most the open one and the one just filled remain
        assertThat(datasets(Queue.GW)).hasSizeLessThanOrEqualTo(2).doesNotContain(1, 2, 3);
        assertThat(maxDatasetsSeen).isLessThanOrEqualTo(2);
        assertThat(datasetTables(Queue.GW)).hasSizeLessThanOrEqualTo(4).doesNotContain("gw_jobs_1", "gw_job_status_1");
        assertThat(gw.fetchUnprocessed(JobQuery.first(10))).isEmpty();
    }

    /**
     * A maintenance pass searches for the first pending job of a full dataset from where the last pass found it, and
     * reads none of the status rows below that (issue 16: the search walked the dataset's status index from its first
     * row on every pass, 0.85 s a pass over a gw dataset of 100,000 jobs in a whole-suite benchmark).
     */
    @Test
    void theSearchForAPendingJobReadsNoStatusRowBelowWhereItStarts() {
        JobsDbs dbs = open(20_000, Long.MAX_VALUE, Duration.ofDays(1));
        JobsDb rt = dbs.queue(Queue.RT);
        List<Long> ids = rt.store(batch(20_000)); // fills dataset 1
        rt.store(batch(10)); // opens dataset 2
        Instant t = Instant.now();
        List<Long> done = ids.subList(0, ids.size() - 100);
        rt.updateStatus(done.stream()
                .map(id -> StatusUpdate.of(id, JobState.EXECUTING, 1, t))
                .toList());
        rt.updateStatus(done.stream()
                .map(id -> StatusUpdate.of(id, JobState.SUCCEEDED, 1, t))
                .toList());
        sql.sql("ANALYZE rt_jobs_1").update();
        sql.sql("ANALYZE rt_job_status_1").update();
        long firstPending = ids.get(done.size());
        // where the last pass found the first pending job, which has ended since, as have the 1,899 after it
        long from = ids.get(18_000);
        long statusRowsFrom = sql.sql("SELECT count(*) FROM rt_job_status_1 WHERE job_id >= :from")
                .param("from", from)
                .query(Long.class)
                .single();

        String search = DatasetMaintenance.FIRST_PENDING.formatted("rt_jobs_1", "rt_job_status_1");
        assertThat(sql.sql(search).param("from", from).query(Long.class).single())
                .isEqualTo(firstPending);
        String plan = sql.sql("EXPLAIN (ANALYZE, FORMAT JSON) " + search)
                .param("from", from)
                .query(String.class)
                .single();
        // 3,800 status rows lie at or above it and 36,000 below; the old search read all of them
        assertThat(rowsRead(JsonMapper.builder().build().readTree(plan), "rt_job_status_1"))
                .isLessThanOrEqualTo(statusRowsFrom);
    }

    /** The rows the plan's nodes on {@code relation} read: those they returned and those their filters removed. */
    private static double rowsRead(JsonNode node, String relation) {
        double rows = 0;
        if (node.isObject() && relation.equals(node.path("Relation Name").asString(""))) {
            double loops = node.path("Actual Loops").asDouble(1);
            rows += (node.path("Actual Rows").asDouble(0)
                            + node.path("Rows Removed by Filter").asDouble(0)
                            + node.path("Rows Removed by Index Recheck").asDouble(0))
                    * loops;
        }
        for (JsonNode child : node) rows += rowsRead(child, relation);
        return rows;
    }

    @Test
    void aDatasetWithOnePendingJobIsKeptUntilThatJobEnds() {
        JobsDbs dbs = open(1_000, Long.MAX_VALUE, Duration.ofDays(1));
        JobsDb rt = dbs.queue(Queue.RT);
        List<Long> first = rt.store(batch(1_000)); // fills dataset 1
        rt.store(batch(10)); // opens dataset 2
        Instant t = Instant.now();
        rt.updateStatus(first.subList(1, first.size()).stream()
                .map(id -> StatusUpdate.of(id, JobState.SUCCEEDED, 1, t))
                .toList());
        rt.updateStatus(
                List.of(StatusUpdate.of(first.getFirst(), JobState.FAILED, 1, t).withResponse("500", "{}")));

        dbs.maintenance().runOnce();
        assertThat(datasets(Queue.RT)).containsExactly(1, 2);
        assertThat(rt.fetchToProcess(JobQuery.first(1), t).getFirst().jobId()).isEqualTo(first.getFirst());

        rt.updateStatus(List.of(StatusUpdate.of(first.getFirst(), JobState.ABORTED, 3, t)));
        assertThat(dbs.maintenance().runOnce()).isEqualTo(1);
        assertThat(datasets(Queue.RT)).containsExactly(2);
        assertThat(datasetTables(Queue.RT)).containsExactlyInAnyOrder("rt_jobs_2", "rt_job_status_2");
    }

    @Test
    void anOldDatasetIsClosedEarlyAndTheNextStoreOpensANewOne() {
        JobsDbs dbs = open(100_000, Long.MAX_VALUE, Duration.ofMinutes(90));
        JobsDb gw = dbs.queue(Queue.GW);
        long firstId = gw.store(batch(10)).getFirst();
        dbs.maintenance().runOnce();
        assertThat(datasets(Queue.GW)).containsExactly(1);

        now.set(Instant.now().plus(Duration.ofMinutes(91)));
        dbs.maintenance().runOnce();
        long nextId = gw.store(batch(10)).getFirst();
        assertThat(datasets(Queue.GW)).containsExactly(1, 2);
        assertThat(nextId).isGreaterThanOrEqualTo(firstId + 100_000);

        // jobs keep their order across datasets
        List<Job> all = gw.fetchUnprocessed(JobQuery.first(100));
        assertThat(all).hasSize(20).extracting(Job::jobId).isSorted();
    }

    @Test
    void aLargeDatasetIsClosedEarly() {
        JobsDbs dbs = open(100_000, 64 * 1024, Duration.ofDays(1));
        JobsDb gw = dbs.queue(Queue.GW);
        gw.store(batch(2_000));
        dbs.maintenance().runOnce();
        gw.store(batch(1));
        assertThat(datasets(Queue.GW)).containsExactly(1, 2);
    }
}
