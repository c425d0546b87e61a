package dev.eventpipe.jobsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each test gets its own database: recovery acts on a whole queue. */
class CrashRecoveryIT {
    HikariDataSource dataSource;
    JobsDbs jobsDbs;

    @BeforeEach
    void open() {
        dataSource = TestDatabase.create();
        jobsDbs = JobsDbs.open(dataSource, JobsDbSettings.defaults());
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    private static List<NewJob> jobs(String customVal, int count, String user) {
        return IntStream.range(0, count)
                .mapToObj(i -> NewJob.of(user, "ws-1", customVal, "{}", "{\"n\":" + i + "}"))
                .toList();
    }

    private static JobQuery query(String customVal) {
        return JobQuery.first(1000).customVal(customVal);
    }

    @Test
    void crashRecoveryMakesGatewayJobsUnprocessedAndRouterJobsFailed() {
        JobsDb gw = jobsDbs.queue(Queue.GW);
        JobsDb batch = jobsDbs.queue(Queue.BATCH_RT);
        Instant now = Instant.now();
        List<Long> gwIds = gw.store(jobs("recover", 3, "u"));
        gw.updateStatus(gwIds.stream()
                .map(id -> StatusUpdate.of(id, JobState.EXECUTING, 1, now))
                .toList());
        gw.updateStatus(List.of(StatusUpdate.of(gwIds.get(2), JobState.SUCCEEDED, 1, now)));
        List<Long> rtIds = batch.store(jobs("recover", 2, "u"));
        batch.updateStatus(List.of(StatusUpdate.of(rtIds.get(0), JobState.EXECUTING, 4, now)));

        assertThat(jobsDbs.recovery().resetExecuting(Queue.GW, Set.of())).isEqualTo(2);
        assertThat(jobsDbs.recovery().failExecuting(Queue.BATCH_RT, Set.of())).isEqualTo(1);

        assertThat(gw.fetchUnprocessed(query("recover")))
                .extracting(Job::jobId)
                .containsExactly(gwIds.get(0), gwIds.get(1));
        List<Job> rt = batch.fetchToProcess(query("recover"), Instant.now().plusSeconds(1));
        assertThat(rt).extracting(Job::jobId).containsExactlyElementsOf(rtIds);
        assertThat(rt.getFirst().lastStatus().state()).isEqualTo(JobState.FAILED);
        assertThat(rt.getFirst().attempts()).isEqualTo(4);
    }

    @Test
    void aRecoveredRouterJobKeepsTheFirstAttemptTimeItsExecutingRowRecorded() {
        // the retry window counts from the first attempt, also when the process died during a retry
        JobsDb rt = jobsDbs.queue(Queue.RT);
        Instant first = Instant.parse("2026-11-30T01:02:03.456Z");
        Instant retryStarted = Instant.parse("2026-11-30T01:09:00.123Z");
        List<Long> ids = rt.store(jobs("recover-first", 2, "u"));
        rt.updateStatus(List.of(
                StatusUpdate.executing(ids.get(0), 2, retryStarted).withFirstAttemptedAt(first),
                StatusUpdate.executing(ids.get(1), 1, first)));

        assertThat(jobsDbs.recovery().failExecuting(Queue.RT, Set.of())).isEqualTo(2);

        List<Job> failed =
                rt.fetchToProcess(query("recover-first"), Instant.now().plusSeconds(1));
        assertThat(failed).extracting(j -> j.lastStatus().state()).containsOnly(JobState.FAILED);
        assertThat(failed).extracting(Job::attempts).containsExactly(2, 1);
        // a retry: the first attempt's time its executing row carried, not the retry's start
        assertThat(failed.get(0).lastStatus().firstAttemptedAt()).isEqualTo(first);
        // review P3-9: the process died in the first attempt, whose executing row has no first attempt time yet;
        // the attempt is counted, so it began when that row was written, and the retry window counts from there
        assertThat(failed.get(1).lastStatus().firstAttemptedAt()).isEqualTo(first);
        JsonNode document =
                JsonMapper.builder().build().readTree(failed.get(1).lastStatus().errorResponse());
        assertThat(document.path("firstAttemptedAt").asString()).isEqualTo("2026-11-30T01:02:03.456000Z");
        assertThat(document.path("reason").asString()).isNotEmpty();
    }

    @Test
    void crashRecoveryTouchesOnlyTheGivenPartitions() {
        JobsDb gw = jobsDbs.queue(Queue.GW);
        Instant now = Instant.now();
        List<Long> ids = new ArrayList<>();
        ids.addAll(gw.store(List.of(NewJob.of("mine", "ws", "recover-p", "{}", "{}"))));
        String other = IntStream.range(0, 1000)
                .mapToObj(i -> "other-" + i)
                .filter(u -> UserPartition.of(u) != UserPartition.of("mine"))
                .findFirst()
                .orElseThrow();
        ids.addAll(gw.store(List.of(NewJob.of(other, "ws", "recover-p", "{}", "{}"))));
        gw.updateStatus(ids.stream()
                .map(id -> StatusUpdate.of(id, JobState.EXECUTING, 1, now))
                .toList());

        jobsDbs.recovery().resetExecuting(Queue.GW, Set.of(UserPartition.of("mine")));
        assertThat(gw.fetchUnprocessed(query("recover-p")))
                .extracting(Job::userId)
                .containsExactly("mine");
    }

    @Test
    void recoveryReadsNoStatusRowOfTheJobsMaintenanceFoundTerminal() {
        // review 0805 P3-3: recovery read every executing row ever written to the live datasets
        try (HikariDataSource own = TestDatabase.create()) { // datasets of 1,000 ids from the start
            JobsDbs dbs = JobsDbs.open(
                    own, new JobsDbSettings(1_000, Long.MAX_VALUE, Duration.ofDays(1), Duration.ofSeconds(5), true));
            JobsDb rt = dbs.queue(Queue.RT);
            Instant now = Instant.now();
            List<Long> first = rt.store(jobs("settled", 1_000, "u")); // fills dataset 1
            List<Long> open = rt.store(jobs("settled", 10, "u")); // in dataset 2, the open one
            // every job of dataset 1 was delivered but its last, whose process died while sending it
            rt.updateStatus(
                    first.stream().map(id -> StatusUpdate.executing(id, 1, now)).toList());
            rt.updateStatus(first.subList(0, first.size() - 1).stream()
                    .map(id -> StatusUpdate.of(id, JobState.SUCCEEDED, 1, now))
                    .toList());
            rt.updateStatus(open.subList(0, 3).stream()
                    .map(id -> StatusUpdate.executing(id, 1, now))
                    .toList());
            dbs.maintenance().runOnce(); // dataset 1 is kept (one job is not terminal), terminal below that job
            JdbcClient sql = JdbcClient.create(own);
            sql.sql("ANALYZE rt_jobs_1, rt_job_status_1").update(); // as autovacuum would have by now

            new TransactionTemplate(new DataSourceTransactionManager(own)).executeWithoutResult(status -> {
                assertThat(dbs.recovery().failExecuting(Queue.RT, Set.of())).isEqualTo(1 + 3);
                // this transaction's reads of dataset 1: the rows of its one unfinished job, not the 1,998 others
                assertThat(sql.sql("""
                                SELECT coalesce(sum(seq_tup_read + coalesce(idx_tup_fetch, 0)), 0)
                                FROM pg_stat_xact_user_tables WHERE relname IN ('rt_jobs_1', 'rt_job_status_1')""").query(Long.class).single()).isLessThan(10);
            });
            List<Job> retried =
                    rt.fetchToProcess(query("settled"), Instant.now().plusSeconds(1));
            List<Long> expected = new ArrayList<>(List.of(first.getLast()));
            expected.addAll(open);
            assertThat(retried).extracting(Job::jobId).containsExactlyElementsOf(expected);
            assertThat(retried.subList(0, 4))
                    .extracting(j -> j.lastStatus().state())
                    .containsOnly(JobState.FAILED);
        }
    }
}
