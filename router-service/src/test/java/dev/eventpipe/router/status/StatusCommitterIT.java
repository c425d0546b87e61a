package dev.eventpipe.router.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.jobsdb.UserPartition;
import dev.eventpipe.router.support.Replicas;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A status batch that meets a lease lost for one of its partitions (H2 of notes/2026-11-30-handover-reorder.md):
 * only that partition's statuses are dropped; the others are still this replica's to write, and a status dropped
 * there would have its job delivered again after recovery.
 */
class StatusCommitterIT {

    @Test
    void aLeaseLostForOnePartitionDropsOnlyThatPartitionsStatuses() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {}));
        String kept = "user-0";
        String moved = "user-1";
        for (int i = 2; UserPartition.of(moved) == UserPartition.of(kept); i++) moved = "user-" + i;
        try (ScriptedSink sink = new ScriptedSink();
                ConfigurableApplicationContext a = Replicas.start(db, config, "replica-a")) {
            JobsDbs jobsDbs = a.getBean(JobsDbs.class);
            List<Long> ids = jobsDbs.queue(Queue.RT)
                    .store(List.of(
                            TestJobs.job("WEBHOOK", "d-hook", sink.url("/hook"), kept, "m-kept", 1),
                            TestJobs.job("WEBHOOK", "d-hook", sink.url("/hook"), moved, "m-moved", 1)));
            RtStatuses statuses = new RtStatuses(a.getBean(DataSource.class));
            await().atMost(Duration.ofSeconds(30)).until(() -> statuses.countLatest(ids, "succeeded") == 2);
            // a second status for each (harmless for the test), committed in one batch
            List<Finished> batch = jobsDbs.reads().byIds(Queue.RT, ids, null).stream()
                    .map(RtJob::of)
                    .map(j -> new Finished(
                            j, StatusUpdate.of(j.jobId(), JobState.SUCCEEDED, j.attempts(), Instant.now()), null))
                    .toList();
            long keptJob = ids.getFirst();
            long movedJob = ids.getLast();
            int keptRows = statuses.of(keptJob).size();
            int movedRows = statuses.of(movedJob).size();

            // another replica took the moved user's partition; this one has not noticed yet
            JdbcClient.create(a.getBean(DataSource.class))
                    .sql("UPDATE jobsdb_partition_leases SET holder = 'ghost' WHERE partition = :p")
                    .param("p", UserPartition.of(moved))
                    .update();
            assertThat(a.getBean(StatusCommitter.class).commitOnce(batch)).isTrue();

            assertThat(statuses.of(keptJob)).as("still held: written").hasSize(keptRows + 1);
            assertThat(statuses.of(movedJob)).as("moved: dropped").hasSize(movedRows);
        }
    }
}
