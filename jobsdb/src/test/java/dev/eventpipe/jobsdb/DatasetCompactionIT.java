package dev.eventpipe.jobsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Compaction on a real PostgreSQL: a closed dataset whose jobs are mostly terminal keeps only its live jobs (with
 * their latest status) and shrinks; ids, per-user order and state survive; statuses written while it runs are
 * kept; and drops and swaps that cannot get the queue's tables within the lock timeout give up without holding
 * writers back.
 */
class DatasetCompactionIT {
    HikariDataSource dataSource;
    JdbcClient sql;
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

    @BeforeEach
    void open() {
        dataSource = TestDatabase.create();
        sql = JdbcClient.create(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    private JobsDbs open(long maxJobs) {
        var settings = new JobsDbSettings(maxJobs, Long.MAX_VALUE, Duration.ofDays(1), Duration.ofSeconds(5), true)
                .withCompaction(Duration.ofMinutes(2), 100, Duration.ZERO)
                .withDdlLockTimeout(Duration.ofMillis(300));
        InstantSource clock = () -> now.get();
        return JobsDbs.open(dataSource, settings, new SimpleMeterRegistry(), clock);
    }

    private static List<NewJob> jobs(int n, String prefix) {
        return IntStream.range(0, n)
                .mapToObj(i -> NewJob.of(
                        "user-" + (i % 10),
                        "ws",
                        "DEST",
                        "{\"destination_id\":\"d\"}",
                        "{\"" + prefix + "\":" + i + ",\"pad\":\"" + "x".repeat(200) + "\"}"))
                .toList();
    }

    private long rows(String table) {
        return sql.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    private long bytes(String table) {
        return sql.sql("SELECT pg_total_relation_size(:t::regclass)")
                .param("t", table)
                .query(Long.class)
                .single();
    }

    private int compactions(Queue queue, int idx) {
        return sql.sql("SELECT compactions FROM jobsdb_datasets WHERE queue = :q AND idx = :i")
                .param("q", queue.prefix())
                .param("i", idx)
                .query(Integer.class)
                .single();
    }

    @Test
    void aMostlyTerminalDatasetKeepsOnlyItsLiveJobsInPlaceAndEveryUserKeepsItsOrder() {
        JobsDbs dbs = open(2_000);
        JobsDb rt = dbs.queue(Queue.RT);
        List<Long> old = rt.store(jobs(2_000, "old")); // fills dataset 1
        List<Long> later = rt.store(jobs(50, "later")); // dataset 2: later jobs of the same users
        Instant t = Instant.now();
        // all but 20 of dataset 1 end; the 20 are failing (retried for days) or never picked
        List<StatusUpdate> updates = new ArrayList<>();
        for (int i = 0; i < old.size(); i++) {
            if (i % 100 == 7) continue; // 20 unprocessed
            updates.add(StatusUpdate.of(old.get(i), JobState.EXECUTING, 1, t));
            if (i % 100 == 3)
                for (int attempt = 1; attempt <= 5; attempt++)
                    updates.add(StatusUpdate.of(old.get(i), JobState.FAILED, attempt, t)
                            .withResponse("500", "{}"));
            else updates.add(StatusUpdate.of(old.get(i), JobState.SUCCEEDED, 1, t));
        }
        rt.updateStatus(updates);
        long sizeBefore = bytes("rt_jobs_1") + bytes("rt_job_status_1");
        List<Long> expectedLive = IntStream.range(0, old.size())
                .filter(i -> i % 100 == 7 || i % 100 == 3)
                .mapToObj(old::get)
                .toList();

        dbs.maintenance().runOnce(); // younger than the minimum age: left alone
        assertThat(rows("rt_jobs_1")).isEqualTo(2_000);
        now.set(Instant.now().plus(Duration.ofMinutes(3)));
        dbs.maintenance().runOnce();

        assertThat(compactions(Queue.RT, 1)).isEqualTo(1);
        assertThat(rows("rt_jobs_1")).isEqualTo(40);
        assertThat(rows("rt_job_status_1")).isEqualTo(20); // only the latest status of the 20 that have one
        assertThat(bytes("rt_jobs_1") + bytes("rt_job_status_1")).isLessThan(sizeBefore / 4);

        // same ids, same states: the failing jobs are retried with their attempt count, the others are unprocessed
        List<Job> pending = rt.fetchToProcess(JobQuery.first(1_000), t.plusSeconds(1));
        assertThat(pending).extracting(Job::jobId).containsExactlyElementsOf(concat(expectedLive, later));
        assertThat(pending.stream().filter(j -> j.lastStatus() != null))
                .hasSize(20)
                .allSatisfy(j -> {
                    assertThat(j.lastStatus().state()).isEqualTo(JobState.FAILED);
                    assertThat(j.lastStatus().attempt()).isEqualTo(5);
                });
        assertThat(rt.fetchUnprocessed(JobQuery.first(1_000)).stream()
                        .filter(j -> j.jobId() < later.getFirst())
                        .map(Job::payload))
                .hasSize(20)
                .allMatch(p -> p.startsWith("{\"old\":"));
        // per user, the old pending job still comes before that user's later jobs
        Map<String, List<Long>> byUser = new HashMap<>();
        pending.forEach(
                j -> byUser.computeIfAbsent(j.userId(), u -> new ArrayList<>()).add(j.jobId()));
        byUser.values().forEach(ids -> assertThat(ids).isSorted());
        assertThat(byUser.get("user-7").getFirst()).isLessThan(later.getFirst());

        // once they end, the compacted dataset is dropped like any other
        rt.updateStatus(expectedLive.stream()
                .map(id -> StatusUpdate.of(id, JobState.SUCCEEDED, 6, t))
                .toList());
        assertThat(dbs.maintenance().runOnce()).isEqualTo(1);
        assertThat(sql.sql("SELECT idx FROM jobsdb_datasets WHERE queue = 'rt' ORDER BY idx")
                        .query(Integer.class)
                        .list())
                .doesNotContain(1);
    }

    @Test
    void statusesWrittenWhileCompactionsRunAreAllKept() throws Exception {
        JobsDbs dbs = open(2_000);
        JobsDb rt = dbs.queue(Queue.RT);
        List<Long> old = rt.store(jobs(2_000, "old"));
        rt.store(jobs(1, "next")); // closes dataset 1
        Instant t = Instant.now();
        List<Long> live = old.subList(0, 40);
        rt.updateStatus(old.subList(40, old.size()).stream()
                .map(id -> StatusUpdate.of(id, JobState.SUCCEEDED, 1, t))
                .toList());
        now.set(Instant.now().plus(Duration.ofMinutes(3)));

        // a router keeps failing the live jobs, one attempt after another, while maintenance compacts repeatedly
        AtomicBoolean running = new AtomicBoolean(true);
        Map<Long, Integer> lastAttempt = new java.util.concurrent.ConcurrentHashMap<>();
        Thread router = Thread.ofPlatform().start(() -> {
            for (int attempt = 1; running.get(); attempt++) {
                int a = attempt;
                rt.updateStatus(live.stream()
                        .map(id -> StatusUpdate.of(id, JobState.FAILED, a, t).withResponse("500", "{}"))
                        .toList());
                live.forEach(id -> lastAttempt.put(id, a));
            }
        });
        int compacted = 0;
        for (int pass = 0; pass < 6; pass++) {
            dbs.maintenance().runOnce();
            compacted = compactions(Queue.RT, 1);
        }
        running.set(false);
        router.join();

        assertThat(compacted).isPositive();
        List<Job> pending = rt.fetchToProcess(JobQuery.first(100), t.plusSeconds(1));
        assertThat(pending.subList(0, 40)).extracting(Job::jobId).containsExactlyElementsOf(live);
        for (Job job : pending.subList(0, 40))
            assertThat(job.lastStatus().attempt()).isEqualTo(lastAttempt.get(job.jobId()));
    }

    @Test
    void aDropThatCannotGetTheTablesGivesUpWithinTheLockTimeoutAndWritersAreNotHeldBack() throws Exception {
        JobsDbs dbs = open(1_000);
        JobsDb gw = dbs.queue(Queue.GW);
        List<Long> first = gw.store(jobs(1_000, "a"));
        gw.store(jobs(1, "b"));
        Instant t = Instant.now();
        gw.updateStatus(first.stream()
                .map(id -> StatusUpdate.of(id, JobState.SUCCEEDED, 1, t))
                .toList());

        try (Connection reader = dataSource.getConnection();
                Statement statement = reader.createStatement()) {
            reader.setAutoCommit(false);
            statement.execute("SELECT count(*) FROM gw_jobs"); // a long reader holds the queue's tables
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 20; i++) gw.store(jobs(10, "during"));
            });
            assertThat(dbs.maintenance().runOnce()).isZero(); // the drop gave up
            writer.join(Duration.ofSeconds(30));
            assertThat(writer.isAlive()).isFalse();
            reader.rollback();
        }
        assertThat(gw.fetchUnprocessed(JobQuery.first(1_000).customVal("DEST"))).hasSize(201);
        assertThat(dbs.maintenance().runOnce()).isEqualTo(1); // the next pass drops it
    }

    @Test
    void maintenanceRunsInOneProcessAtATime() throws Exception {
        JobsDbs dbs = open(1_000);
        try (Connection other = dataSource.getConnection();
                Statement statement = other.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + DatasetMaintenance.MAINTENANCE_LOCK + ")");
            JobsDb gw = dbs.queue(Queue.GW);
            List<Long> ids = gw.store(jobs(1_000, "a"));
            gw.store(jobs(1, "b"));
            gw.updateStatus(ids.stream()
                    .map(id -> StatusUpdate.of(id, JobState.SUCCEEDED, 1, Instant.now()))
                    .toList());
            assertThat(dbs.maintenance().runOnce()).isZero(); // the other process is maintaining
            statement.execute("SELECT pg_advisory_unlock(" + DatasetMaintenance.MAINTENANCE_LOCK + ")");
        }
        assertThat(dbs.maintenance().runOnce()).isEqualTo(1);
    }

    @Test
    void leaseMembersThatStoppedAnHourAgoAreForgottenAndLiveOnesKept() {
        JobsDbs dbs = open(1_000);
        sql.sql("""
                        INSERT INTO jobsdb_lease_members (owner_group, holder, expires_at) VALUES
                        ('router', 'crashed-long-ago', now() - interval '2 hours'),
                        ('router', 'crashed-just-now', now() - interval '1 minute'),
                        ('router', 'alive', now() + interval '10 seconds')""").update();
        dbs.maintenance().runOnce();
        assertThat(sql.sql("SELECT holder FROM jobsdb_lease_members ORDER BY holder")
                        .query(String.class)
                        .list())
                .containsExactly("alive", "crashed-just-now");
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        List<Long> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
