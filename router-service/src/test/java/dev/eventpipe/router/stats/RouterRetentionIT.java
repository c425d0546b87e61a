package dev.eventpipe.router.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.router.support.Replicas;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The router's stats and replay records are deleted after their retention (30 days), newer ones kept (P2-10); a
 * replay record whose copy is not finished is kept whatever its age (review P3-2 of 2026-11-30 06:50).
 */
class RouterRetentionIT {

    @Test
    void statsAndReplaysOlderThanTheirRetentionAreDeletedAndNewerOnesKept() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {}));
        try (ConfigurableApplicationContext router = Replicas.start(db, config, "retention", false)) {
            JdbcClient sql = JdbcClient.create(router.getBean(DataSource.class));
            Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            Instant old = now.minus(Duration.ofDays(31));
            Instant recent = now.minus(Duration.ofDays(29));
            for (Instant at : List.of(old, recent)) {
                Timestamp t = Timestamp.from(at);
                sql.sql("INSERT INTO router_delivery_stats (destination_id, bucket, delivered) VALUES ('d', :t, 1)")
                        .param("t", t)
                        .update();
                sql.sql("INSERT INTO router_latency_stats (destination_id, bucket, bin, workspace_id, count)"
                                + " VALUES ('d', :t, 1, 'ws', 1)")
                        .param("t", t)
                        .update();
                sql.sql("INSERT INTO router_error_stats (destination_id, bucket, code, workspace_id, count)"
                                + " VALUES ('d', :t, '500', 'ws', 1)")
                        .param("t", t)
                        .update();
                sql.sql("INSERT INTO router_replays (original_job_id, new_job_id, replayed_at) VALUES (1, :id, :t)")
                        .param("id", at.getEpochSecond())
                        .param("t", t)
                        .update();
            }

            // an old record whose copy is still queued: Replay reads it to refuse a second copy, so it is kept
            long queued = router.getBean(JobsDbs.class)
                    .queue(Queue.RT)
                    .store(List.of(TestJobs.job("WEBHOOK", "d-hook", "http://127.0.0.1:9/hook", "u-1", "m-1", 1)))
                    .getFirst();
            sql.sql("INSERT INTO router_replays (original_job_id, new_job_id, replayed_at) VALUES (1, :id, :t)")
                    .param("id", queued)
                    .param("t", Timestamp.from(old))
                    .update();

            // (its own first pass at start may have run already: only what is left is asserted)
            router.getBean(RouterRetention.class).runOnce();

            for (String[] table : List.of(
                    new String[] {"router_delivery_stats", "bucket"},
                    new String[] {"router_latency_stats", "bucket"},
                    new String[] {"router_error_stats", "bucket"}))
                assertThat(sql.sql("SELECT " + table[1] + " FROM " + table[0])
                                .query(Timestamp.class)
                                .list())
                        .as(table[0])
                        .extracting(Timestamp::toInstant)
                        .containsExactly(recent);
            assertThat(sql.sql("SELECT new_job_id FROM router_replays ORDER BY new_job_id")
                            .query(Long.class)
                            .list())
                    .as("router_replays: the recent record and the old one whose copy is queued")
                    .containsExactlyInAnyOrder(recent.getEpochSecond(), queued);
        }
    }
}
