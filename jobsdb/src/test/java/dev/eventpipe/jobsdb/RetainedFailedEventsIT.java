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
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Aborted rt jobs outlive their dataset (review P1-5): a drop or a compaction first copies them, with every status
 * row, to {@code rt_failed_events}; a drop or swap that fails part-way loses nothing and copies nothing twice; and
 * maintenance deletes them only once their retention (counted from the abort) is over.
 */
class RetainedFailedEventsIT {
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
                        "WEBHOOK",
                        "{\"destination_id\":\"d\",\"n\":" + i + "}",
                        "{\"" + prefix + "\":" + i + ",\"text\":\"caf\\u00e9 \\u0000\"}"))
                .toList();
    }

    /** Two failed attempts, then aborted on the third, with error code and response on each. */
    private static List<StatusUpdate> abortAfterThreeAttempts(long id, Instant at) {
        List<StatusUpdate> rows = new ArrayList<>();
        for (int attempt = 1; attempt <= 3; attempt++) {
            rows.add(StatusUpdate.of(id, JobState.EXECUTING, attempt, at));
            rows.add(StatusUpdate.of(id, attempt < 3 ? JobState.FAILED : JobState.ABORTED, attempt, at)
                    .withResponse(attempt < 3 ? "500" : "400", "{\"response\":\"attempt " + attempt + "\"}"));
        }
        return rows;
    }

    private List<Long> kept() {
        return sql.sql("SELECT job_id FROM rt_failed_events ORDER BY job_id")
                .query(Long.class)
                .list();
    }

    private List<String> keptStatuses(long jobId) {
        return sql.sql("""
                        SELECT job_state || ':' || attempt || ':' || error_code || ':' || coalesce(error_response->>'response', '')
                        FROM rt_failed_event_statuses WHERE job_id = :id ORDER BY id""").param("id", jobId).query(String.class).list();
    }

    private List<Integer> datasets(Queue queue) {
        return sql.sql("SELECT idx FROM jobsdb_datasets WHERE queue = :q ORDER BY idx")
                .param("q", queue.prefix())
                .query(Integer.class)
                .list();
    }

    /** Job ids in the live rt tables among {@code ids}. */
    private List<Long> live(List<Long> ids) {
        return sql.sql("SELECT job_id FROM rt_jobs WHERE job_id IN (:ids) ORDER BY job_id")
                .param("ids", ids)
                .query(Long.class)
                .list();
    }

    private long count(String table) {
        return sql.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    private static final List<String> THREE_ATTEMPTS = List.of(
            "executing:1::",
            "failed:1:500:attempt 1",
            "executing:2::",
            "failed:2:500:attempt 2",
            "executing:3::",
            "aborted:3:400:attempt 3");

    @Test
    void aDroppedDatasetsAbortedJobsAreKeptWithEveryAttemptAndNothingElseIs() {
        JobsDbs dbs = open(100);
        JobsDb rt = dbs.queue(Queue.RT);
        List<Long> ids = rt.store(jobs(100, "rt"));
        rt.store(jobs(1, "next")); // closes dataset 1
        Instant t = Instant.now();
        List<StatusUpdate> updates = new ArrayList<>();
        List<Long> aborted = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (i % 10 == 4) {
                aborted.add(ids.get(i));
                updates.addAll(abortAfterThreeAttempts(ids.get(i), t));
            } else {
                updates.add(StatusUpdate.of(ids.get(i), JobState.EXECUTING, 1, t));
                updates.add(StatusUpdate.of(ids.get(i), i % 10 == 5 ? JobState.FILTERED : JobState.SUCCEEDED, 1, t));
            }
        }
        rt.updateStatus(updates);
        // an aborted gw job is not kept: only rt's failures are shown and replayed
        JobsDb gw = dbs.queue(Queue.GW);
        List<Long> gwIds = gw.store(jobs(100, "gw"));
        gw.store(jobs(1, "next"));
        gw.updateStatus(gwIds.stream()
                .map(id -> StatusUpdate.of(id, JobState.ABORTED, 1, t))
                .toList());

        assertThat(dbs.maintenance().runOnce()).isEqualTo(2);

        assertThat(datasets(Queue.RT)).doesNotContain(1);
        assertThat(kept()).containsExactlyElementsOf(aborted);
        for (long id : aborted) assertThat(keptStatuses(id)).containsExactlyElementsOf(THREE_ATTEMPTS);
        // the job is kept as stored: payload byte for byte, parameters, user, workspace, destination type
        var row = sql.sql("""
                        SELECT user_id, workspace_id, custom_val, parameters->>'n' AS n, event_payload
                        FROM rt_failed_events WHERE job_id = :id""").param("id", aborted.get(1)).query().singleRow();
        assertThat(row.get("user_id")).isEqualTo("user-4");
        assertThat(row.get("workspace_id")).isEqualTo("ws");
        assertThat(row.get("custom_val")).isEqualTo("WEBHOOK");
        assertThat(row.get("n")).isEqualTo("14");
        assertThat(row.get("event_payload")).isEqualTo("{\"rt\":14,\"text\":\"caf\\u00e9 \\u0000\"}");
        // the aborted status beside the job, for the list
        var latest = sql.sql("""
                        SELECT attempt, error_code, error_response->>'response' AS response
                        FROM rt_failed_events WHERE job_id = :id""").param("id", aborted.get(1)).query().singleRow();
        assertThat(latest.get("attempt")).isEqualTo(3);
        assertThat(latest.get("error_code")).isEqualTo("400");
        assertThat(latest.get("response")).isEqualTo("attempt 3");
    }

    @Test
    void aCompactionKeepsTheAbortedJobsItRemovesAndTheLiveOnesStayInTheQueue() {
        JobsDbs dbs = open(2_000);
        JobsDb rt = dbs.queue(Queue.RT);
        List<Long> ids = rt.store(jobs(2_000, "rt"));
        rt.store(jobs(1, "next"));
        Instant t = Instant.now();
        List<StatusUpdate> updates = new ArrayList<>();
        List<Long> aborted = new ArrayList<>();
        List<Long> failing = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            long id = ids.get(i);
            if (i % 100 == 1) {
                aborted.add(id);
                updates.addAll(abortAfterThreeAttempts(id, t));
            } else if (i % 100 == 2) {
                failing.add(id);
                updates.add(StatusUpdate.of(id, JobState.EXECUTING, 1, t));
                updates.add(StatusUpdate.of(id, JobState.FAILED, 1, t).withResponse("503", "{\"response\":\"down\"}"));
            } else updates.add(StatusUpdate.of(id, JobState.SUCCEEDED, 1, t));
        }
        rt.updateStatus(updates);
        now.set(Instant.now().plus(Duration.ofMinutes(3)));

        dbs.maintenance().runOnce();

        assertThat(count("rt_jobs_1")).isEqualTo(20); // compacted: only the failing jobs are left in the queue
        assertThat(live(aborted)).isEmpty();
        assertThat(kept()).containsExactlyElementsOf(aborted);
        for (long id : aborted) assertThat(keptStatuses(id)).containsExactlyElementsOf(THREE_ATTEMPTS);

        // the failing jobs give up later; then the compacted dataset is dropped and they are kept too
        rt.updateStatus(failing.stream()
                .map(id ->
                        StatusUpdate.of(id, JobState.ABORTED, 2, t).withResponse("400", "{\"response\":\"gave up\"}"))
                .toList());
        assertThat(dbs.maintenance().runOnce()).isEqualTo(1);
        List<Long> all = new ArrayList<>(aborted);
        all.addAll(failing);
        assertThat(kept()).containsExactlyInAnyOrderElementsOf(all);
        // a compaction keeps only the latest status of a live job, so its earlier attempts are not there to keep
        assertThat(keptStatuses(failing.getFirst())).containsExactly("failed:1:503:down", "aborted:2:400:gave up");
    }

    @Test
    void aDropThatFailsAfterKeepingRollsBackBothAndTheNextPassKeepsEachJobOnce() throws Exception {
        JobsDbs dbs = open(100);
        JobsDb rt = dbs.queue(Queue.RT);
        List<Long> ids = rt.store(jobs(100, "rt"));
        rt.store(jobs(1, "next"));
        Instant t = Instant.now();
        List<Long> aborted = ids.subList(0, 10);
        List<StatusUpdate> updates = new ArrayList<>();
        for (long id : aborted) updates.addAll(abortAfterThreeAttempts(id, t));
        for (long id : ids.subList(10, 100)) updates.add(StatusUpdate.of(id, JobState.SUCCEEDED, 1, t));
        rt.updateStatus(updates);

        try (Connection reader = dataSource.getConnection();
                Statement statement = reader.createStatement()) {
            reader.setAutoCommit(false);
            statement.execute("SELECT count(*) FROM rt_jobs"); // holds the parent: the DROP TABLE times out
            assertThat(dbs.maintenance().runOnce()).isZero();
            reader.rollback();
        }
        // the copy made in the failed drop's transaction is gone with it; the jobs are still in the queue
        assertThat(kept()).isEmpty();
        assertThat(count("rt_failed_event_statuses")).isZero();
        assertThat(live(aborted)).containsExactlyElementsOf(aborted);

        assertThat(dbs.maintenance().runOnce()).isEqualTo(1);
        assertThat(live(aborted)).isEmpty();
        assertThat(kept()).containsExactlyElementsOf(aborted);
        assertThat(count("rt_failed_event_statuses")).isEqualTo(60);
    }

    @Test
    void aCompactionWhoseSwapFailsLeavesTheJobsInTheQueueAndKeptAndTheRetryKeepsNothingTwice() throws Exception {
        JobsDbs dbs = open(2_000);
        JobsDb rt = dbs.queue(Queue.RT);
        List<Long> ids = rt.store(jobs(2_000, "rt"));
        rt.store(jobs(1, "next"));
        Instant t = Instant.now();
        List<Long> aborted = ids.subList(0, 30);
        List<StatusUpdate> updates = new ArrayList<>();
        for (long id : aborted) updates.addAll(abortAfterThreeAttempts(id, t));
        // 100 jobs stay unprocessed, so the dataset is compacted, not dropped
        for (long id : ids.subList(130, ids.size())) updates.add(StatusUpdate.of(id, JobState.SUCCEEDED, 1, t));
        rt.updateStatus(updates);
        now.set(Instant.now().plus(Duration.ofMinutes(3)));

        try (Connection reader = dataSource.getConnection();
                Statement statement = reader.createStatement()) {
            reader.setAutoCommit(false);
            statement.execute("SELECT count(*) FROM rt_jobs"); // the swap cannot lock the parent tables
            dbs.maintenance().runOnce();
            reader.rollback();
        }
        assertThat(sql.sql("SELECT compactions FROM jobsdb_datasets WHERE queue = 'rt' AND idx = 1")
                        .query(Integer.class)
                        .single())
                .isZero();
        // kept before the swap, and still in the queue: a reader takes each once (the router's API does)
        assertThat(live(aborted)).containsExactlyElementsOf(aborted);
        assertThat(kept()).containsExactlyElementsOf(aborted);
        assertThat(count("rt_failed_event_statuses")).isEqualTo(180);

        dbs.maintenance().runOnce();
        assertThat(live(aborted)).isEmpty();
        assertThat(count("rt_jobs_1")).isEqualTo(100);
        assertThat(kept()).containsExactlyElementsOf(aborted);
        assertThat(count("rt_failed_event_statuses")).isEqualTo(180);
        for (long id : aborted) assertThat(keptStatuses(id)).containsExactlyElementsOf(THREE_ATTEMPTS);
    }

    @Test
    void keptJobsAreDeletedOnceTheirRetentionCountedFromTheAbortIsOver() {
        JobsDbs dbs = open(100);
        JobsDb rt = dbs.queue(Queue.RT);
        List<Long> ids = rt.store(jobs(100, "rt"));
        rt.store(jobs(1, "next"));
        Instant t = Instant.now();
        List<Long> recent = ids.subList(0, 5);
        List<Long> older = ids.subList(5, 10);
        List<StatusUpdate> updates = new ArrayList<>();
        for (long id : recent) updates.addAll(abortAfterThreeAttempts(id, t));
        for (long id : older) updates.addAll(abortAfterThreeAttempts(id, t.minus(Duration.ofDays(20))));
        for (long id : ids.subList(10, 100)) updates.add(StatusUpdate.of(id, JobState.SUCCEEDED, 1, t));
        rt.updateStatus(updates);

        assertThat(dbs.maintenance().runOnce()).isEqualTo(1);
        assertThat(kept()).hasSize(10); // both within the default 30 days

        now.set(t.plus(Duration.ofDays(15))); // the older ones were aborted 35 days ago, the recent ones 15
        dbs.maintenance().runOnce();
        assertThat(kept()).containsExactlyElementsOf(recent);
        assertThat(sql.sql("SELECT DISTINCT job_id FROM rt_failed_event_statuses ORDER BY job_id")
                        .query(Long.class)
                        .list())
                .containsExactlyElementsOf(recent);
        assertThat(count("rt_failed_event_statuses")).isEqualTo(30);
    }
}
