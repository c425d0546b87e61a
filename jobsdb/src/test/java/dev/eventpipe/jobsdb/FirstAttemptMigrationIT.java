package dev.eventpipe.jobsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Rows a router wrote before V11 (the first attempt time only in the error document), then the upgrade, then crash
 * recovery: V11 filled the column of the failed and waiting rows, V13 that of the executing rows a router killed
 * during a retry left behind, which crash recovery reads.
 */
class FirstAttemptMigrationIT {
    private static final Instant FIRST = Instant.parse("2026-11-30T01:02:03.456Z");
    private static final Instant RETRY = Instant.parse("2026-11-30T01:12:00Z");
    private static final Instant ONLY = Instant.parse("2026-11-30T01:20:00Z");

    @Test
    void aJobWhoseRetryARouterDiedInBeforeTheUpgradeKeepsItsFirstAttemptTimeThroughRecovery() {
        try (HikariDataSource dataSource = TestDatabase.create()) {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/jobsdb")
                    .table("jobsdb_schema_history")
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .target("10")
                    .load()
                    .migrate();
            JdbcClient sql = JdbcClient.create(dataSource);
            long id = sql.sql("SELECT jobsdb_allocate('rt', 3, 100000, 42)")
                    .query(Long.class)
                    .single();
            long retried = id, firstAttempt = id + 1, odd = id + 2, finished = id + 3;
            for (long job : List.of(retried, firstAttempt, odd, finished))
                sql.sql("""
                                INSERT INTO rt_jobs (job_id, uuid, user_id, workspace_id, partition_id, parameters,
                                                     custom_val, event_payload, payload_size)
                                VALUES (:id, gen_random_uuid(), 'u' || :id, 'ws', 0, '{}', 'OLD', '{}', 2)""").param("id", job).update();
            String first = "{\"firstAttemptedAt\":\"" + FIRST + "\"}";
            // retried: first attempt failed, the router died in the second (its executing row as the router wrote it)
            status(sql, retried, "executing", 1, FIRST, "{}");
            status(sql, retried, "failed", 1, FIRST.plusSeconds(1), first);
            status(sql, retried, "executing", 2, RETRY, first);
            // firstAttempt: the router died in the first attempt
            status(sql, firstAttempt, "executing", 1, ONLY, "{}");
            // odd: an executing row whose value is not a time does not fail the migration (V13 leaves it)
            status(sql, odd, "executing", 1, FIRST, "{}");
            status(sql, odd, "failed", 1, FIRST.plusSeconds(1), "{\"reason\":\"503\"}");
            status(sql, odd, "executing", 2, RETRY, "{\"firstAttemptedAt\":\"soon\"}");

            // finished: retried and delivered; its retry's executing row is not its latest, so recovery never reads
            // it and V13 leaves it as it is (review P3-3: only a job's latest row is rewritten)
            status(sql, finished, "executing", 1, FIRST, "{}");
            status(sql, finished, "failed", 1, FIRST.plusSeconds(1), first);
            status(sql, finished, "executing", 2, RETRY, first);
            status(sql, finished, "succeeded", 2, RETRY.plusSeconds(1), first);

            JobsDbs jobsDbs = JobsDbs.open(dataSource, JobsDbSettings.defaults()); // V11 onwards

            assertThat(jobsDbs.recovery().failExecuting(Queue.RT, Set.of())).isEqualTo(3);
            Map<Long, Job> recovered = jobsDbs
                    .queue(Queue.RT)
                    .fetchToProcess(
                            JobQuery.first(10).customVal("OLD"), Instant.now().plusSeconds(1))
                    .stream()
                    .collect(Collectors.toMap(Job::jobId, j -> j));
            assertThat(recovered.keySet()).containsExactlyInAnyOrder(retried, firstAttempt, odd);
            assertThat(recovered.values())
                    .extracting(j -> j.lastStatus().state())
                    .containsOnly(JobState.FAILED);
            // the retry window goes on from the first attempt, not from the retry the router died in
            assertThat(recovered.get(retried).lastStatus().firstAttemptedAt()).isEqualTo(FIRST);
            assertThat(recovered.get(retried).attempts()).isEqualTo(2);
            assertThat(recovered.get(firstAttempt).lastStatus().firstAttemptedAt())
                    .isEqualTo(ONLY);
            assertThat(sql.sql(
                                    "SELECT count(*) FROM rt_job_status WHERE job_id = :id AND first_attempted_at IS NOT NULL"
                                            + " AND job_state = 'executing'")
                            .param("id", finished)
                            .query(Long.class)
                            .single())
                    .as("executing rows of a finished job rewritten")
                    .isZero();
            // unreadable: recovery falls back to the start of the attempt it died in
            assertThat(recovered.get(odd).lastStatus().firstAttemptedAt()).isEqualTo(RETRY);
        }
    }

    private static void status(JdbcClient sql, long job, String state, int attempt, Instant at, String document) {
        sql.sql("""
                        INSERT INTO rt_job_status (job_id, job_state, attempt, exec_time, retry_time, error_response)
                        VALUES (:job, :state, :attempt, :at, :at, CAST(:doc AS jsonb))""")
                .param("job", job)
                .param("state", state)
                .param("attempt", attempt)
                .param("at", java.sql.Timestamp.from(at))
                .param("doc", document)
                .update();
    }
}
