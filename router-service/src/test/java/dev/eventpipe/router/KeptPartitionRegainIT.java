package dev.eventpipe.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.jobsdb.UserPartition;
import dev.eventpipe.router.leases.RouterLeases;
import dev.eventpipe.router.support.Replicas;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A partition kept after a give-back whose work did not stop in time (still leased and renewed, not worked on), and
 * regained by the same replica while its worker still has jobs of it queued (the finding of 2026-11-30, see
 * {@code notes/2026-11-30-handover-reorder.md}). The share is moved by the lease member row of a replica that does
 * not exist: added, the share halves and the replica gives the upper half of the partitions back; one worker behind a
 * slow sink holds those partitions' jobs queued among the lower half's, so the give-back cannot finish and the
 * partitions are kept; removed, the share is whole again and the kept partitions are regained. The jobs the worker
 * dropped meanwhile must still go out exactly once, and before their users' later jobs.
 */
class KeptPartitionRegainIT {
    static final int USERS_PER_HALF = 4;
    static final int PER_USER = 30;
    static final String GHOST = """
            INSERT INTO jobsdb_lease_members (owner_group, holder, expires_at)
            VALUES ('router', 'ghost', now() + interval '1 hour')""";

    @Test
    void aKeptPartitionRegainedWhileItsJobsAreQueuedDeliversEachEventOnceAndInOrder() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {}));
        List<String> users = usersOfBothHalves();
        try (ScriptedSink sink = new ScriptedSink()) {
            sink.delay(Duration.ofMillis(100));
            // one worker: all users' jobs queue behind each other's slow sends, in job id order
            try (ConfigurableApplicationContext a =
                    Replicas.start(db, config, "replica-a", Map.of("router.defaults.workers", 1))) {
                RouterLeases leases = a.getBean(RouterLeases.class);
                JdbcClient sql = JdbcClient.create(a.getBean(DataSource.class));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> leases.owned().size() == UserPartition.COUNT);
                List<NewJob> jobs = new ArrayList<>();
                for (int seq = 1; seq <= PER_USER; seq++)
                    for (String user : users)
                        jobs.add(TestJobs.job("WEBHOOK", "d-hook", sink.url("/hook"), user, user + "-" + seq, seq));
                // one transaction: one pickup hands them all over, so the worker's queue mixes both halves
                List<Long> ids = a.getBean(JobsDbs.class).queue(Queue.RT).store(jobs);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> !sink.delivered().isEmpty());

                sql.sql(GHOST).update();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> leases.owned().size() == UserPartition.COUNT / 2);
                Timestamp heartbeat = heartbeat(sql);
                // a heartbeat after the give-back: that round's wait for the work to stop has ended
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> heartbeat(sql).after(heartbeat));
                assertThat(leaseRows(sql))
                        .as("the work on the upper half did not stop in time, so its leases are kept")
                        .isEqualTo(UserPartition.COUNT);
                assertThat(leases.owned()).hasSize(UserPartition.COUNT / 2);

                sql.sql("DELETE FROM jobsdb_lease_members WHERE holder = 'ghost'")
                        .update();
                RtStatuses statuses = new RtStatuses(a.getBean(DataSource.class));
                await().atMost(Duration.ofMinutes(4)).until(() -> statuses.countLatest(ids, "succeeded") == ids.size());
                assertThat(leases.owned()).hasSize(UserPartition.COUNT);

                Map<String, List<Integer>> byUser = new LinkedHashMap<>();
                for (String user : users) byUser.put(user, new ArrayList<>());
                for (ScriptedSink.Received r : sink.delivered())
                    byUser.get(r.userId()).add(r.seq());
                List<Integer> expected = new ArrayList<>();
                for (int seq = 1; seq <= PER_USER; seq++) expected.add(seq);
                byUser.forEach((user, seqs) -> assertThat(seqs)
                        .as("deliveries of %s (partition %d), in arrival order", user, UserPartition.of(user))
                        .isEqualTo(expected));
            }
        }
    }

    /** Users of the lower half of the partitions (kept working) and of the upper half (given back, then regained). */
    private static List<String> usersOfBothHalves() {
        List<String> lower = new ArrayList<>();
        List<String> upper = new ArrayList<>();
        for (int i = 0; lower.size() < USERS_PER_HALF || upper.size() < USERS_PER_HALF; i++) {
            String user = "user-" + i;
            List<String> half = UserPartition.of(user) < UserPartition.COUNT / 2 ? lower : upper;
            if (half.size() < USERS_PER_HALF) half.add(user);
        }
        List<String> users = new ArrayList<>(lower);
        users.addAll(upper);
        return users;
    }

    private static Timestamp heartbeat(JdbcClient sql) {
        return sql.sql("SELECT expires_at FROM jobsdb_lease_members WHERE holder = 'replica-a'")
                .query(Timestamp.class)
                .single();
    }

    private static long leaseRows(JdbcClient sql) {
        return sql.sql("SELECT count(*) FROM jobsdb_partition_leases WHERE holder = 'replica-a'")
                .query(Long.class)
                .single();
    }
}
