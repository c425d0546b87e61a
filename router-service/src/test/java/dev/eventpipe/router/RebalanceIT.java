package dev.eventpipe.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.router.support.Replicas;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Replicas joining and leaving while jobs flow (no kill): partitions move by give-back, which stops the work on
 * them before releasing them. Every event then arrives exactly once, and each user's events in order: the
 * duplicates at-least-once allows come only from a replica that dies, never from a rebalance.
 */
class RebalanceIT {
    private static final Logger log = LoggerFactory.getLogger(RebalanceIT.class);
    static final int USERS = 40;
    static final int PER_USER = 25;

    @Test
    void replicasJoiningAndLeavingUnderLoadDeliverEveryEventOnceAndInOrder() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {}));
        List<ConfigurableApplicationContext> replicas = new ArrayList<>();
        try (ScriptedSink sink = new ScriptedSink()) {
            sink.delay(Duration.ofMillis(10));
            ConfigurableApplicationContext a = Replicas.start(db, config, "replica-a");
            replicas.add(a);
            List<NewJob> jobs = new ArrayList<>();
            for (int seq = 1; seq <= PER_USER; seq++)
                for (int u = 0; u < USERS; u++)
                    jobs.add(TestJobs.job(
                            "WEBHOOK", "d-hook", sink.url("/hook"), "user-" + u, "m-" + u + "-" + seq, seq));
            JobsDbs jobsDbs = a.getBean(JobsDbs.class);
            List<Long> ids = new ArrayList<>();
            // the first half now, the rest while replicas come and go
            ids.addAll(jobsDbs.queue(Queue.RT).store(jobs.subList(0, jobs.size() / 2)));
            int total = jobs.size();

            await().atMost(Duration.ofSeconds(60)).until(() -> sink.delivered().size() >= total / 10);
            ConfigurableApplicationContext b = Replicas.start(db, config, "replica-b"); // joins: a gives back
            replicas.add(b);
            ids.addAll(jobsDbs.queue(Queue.RT).store(jobs.subList(jobs.size() / 2, jobs.size())));
            await().atMost(Duration.ofSeconds(120)).until(() -> sink.delivered().size() >= total * 4 / 10);
            b.close(); // leaves: its partitions go back to a
            replicas.remove(b);
            await().atMost(Duration.ofSeconds(120)).until(() -> sink.delivered().size() >= total * 6 / 10);
            replicas.add(Replicas.start(db, config, "replica-c")); // joins again

            RtStatuses statuses = new RtStatuses(a.getBean(DataSource.class));
            await().atMost(Duration.ofMinutes(4)).until(() -> statuses.countLatest(ids, "succeeded") == ids.size());

            List<ScriptedSink.Received> delivered = sink.delivered();
            Map<String, List<Integer>> byUser = new HashMap<>();
            for (ScriptedSink.Received r : delivered)
                byUser.computeIfAbsent(r.userId(), k -> new ArrayList<>()).add(r.seq());
            log.atInfo()
                    .setMessage("{} jobs, {} deliveries while replicas joined and left")
                    .addArgument(ids.size())
                    .addArgument(delivered.size())
                    .log();
            List<Integer> expected = new ArrayList<>();
            for (int seq = 1; seq <= PER_USER; seq++) expected.add(seq);
            assertThat(byUser).hasSize(USERS);
            byUser.forEach((user, seqs) -> assertThat(seqs)
                    .as("deliveries of %s, in arrival order", user)
                    .isEqualTo(expected));
        } finally {
            for (ConfigurableApplicationContext r : replicas) r.close();
        }
    }
}
