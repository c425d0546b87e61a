package dev.eventpipe.jobsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * V16 builds the {@code rt_jobs (workspace_id, user_id, job_id)} index on the rt datasets that exist, every dataset
 * made afterwards has it, and a read of some users finds the jobs stored before the upgrade.
 */
class UserIndexMigrationIT {
    @Test
    void theUserIndexIsOnEveryRtDatasetBeforeAndAfterTheUpgrade() {
        try (HikariDataSource dataSource = TestDatabase.create()) {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/jobsdb")
                    .table("jobsdb_schema_history")
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .target("15")
                    .load()
                    .migrate();
            JdbcClient sql = JdbcClient.create(dataSource);
            // two datasets of jobs stored before the upgrade, as a writer stores them
            for (int i = 0; i < 2; i++) {
                long first = sql.sql("SELECT jobsdb_allocate('rt', 100, 100, 42)")
                        .query(Long.class)
                        .single();
                sql.sql("""
                                INSERT INTO rt_jobs (job_id, uuid, user_id, workspace_id, partition_id, parameters,
                                                     custom_val, event_payload, payload_size)
                                SELECT :first + n, gen_random_uuid(), 'u' || (n % 5), 'ws', 0, '{}', 'OLD', '{}', 2
                                FROM generate_series(0, 99) n""").param("first", first).update();
            }
            assertThat(userIndexed(sql)).as("no dataset has it before V16").isEmpty();

            JobsDbs dbs = JobsDbs.open(
                    dataSource,
                    new JobsDbSettings(100, Long.MAX_VALUE, Duration.ofDays(1), Duration.ofSeconds(5), false));
            JobsDb rt = dbs.queue(Queue.RT);
            rt.store(List.of(NewJob.of("u1", "ws", "OLD", "{}", "{}"))); // opens a dataset after the upgrade
            List<String> datasets = sql.sql("SELECT tablename FROM pg_tables WHERE tablename ~ '^rt_jobs_[0-9]+$'")
                    .query(String.class)
                    .list();
            assertThat(datasets).hasSizeGreaterThanOrEqualTo(3);
            assertThat(userIndexed(sql)).as("every rt dataset has it").containsExactlyInAnyOrderElementsOf(datasets);
            assertThat(rt.fetchUnprocessedPage(JobQuery.first(1000)
                                    .ofUsers(Set.of(new JobQuery.User("ws", "u1")))
                                    .walkingAtMost(1))
                            .jobs())
                    .as("u1's jobs: every fifth of the 200 stored before, and the one after")
                    .hasSize(41)
                    .allMatch(j -> j.userId().equals("u1"));
        }
    }

    /** The rt dataset tables with an index on (workspace_id, user_id, job_id), attached to the parent's. */
    private static List<String> userIndexed(JdbcClient sql) {
        return sql.sql("""
                        SELECT t.relname FROM pg_index i
                        JOIN pg_class t ON t.oid = i.indrelid
                        JOIN pg_inherits h ON h.inhrelid = i.indexrelid
                        JOIN pg_class p ON p.oid = h.inhparent
                        WHERE t.relname ~ '^rt_jobs_[0-9]+$' AND p.relname = 'rt_jobs_workspace_id_user_id_job_id_idx'""").query(String.class).list();
    }
}
