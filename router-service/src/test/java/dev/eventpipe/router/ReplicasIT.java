package dev.eventpipe.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.router.pickup.RouterRuntime;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two router replicas share the partitions; one is killed mid-run (its leases abandoned, its uncommitted results
 * lost). The survivor takes its partitions over, every job is delivered, and each user's events reach the sink in
 * order: an event may arrive again after a takeover (at-least-once), but never before an earlier one of its user.
 */
class ReplicasIT {
    private static final Logger log = LoggerFactory.getLogger(ReplicasIT.class);
    static final int USERS = 30;
    static final int PER_USER = 10;

    static ConfigurableApplicationContext replica(TestPostgres.Database db, Path config, String name) {
        return replica(db, config, name, true);
    }

    static ConfigurableApplicationContext replica(TestPostgres.Database db, Path config, String name, boolean routing) {
        Map<String, Object> p = new HashMap<>();
        p.put("router.enabled", routing);
        p.put("spring.datasource.url", db.url());
        p.put("spring.datasource.username", db.user());
        p.put("spring.datasource.password", db.password());
        p.put("workspace-config.path", config.toString());
        p.put("router.instance-id", name);
        p.put("router.lease-ttl", "2s");
        p.put("router.poll-interval", "50ms");
        p.put("router.max-status-update-wait", "20ms");
        p.put("router.defaults.min-backoff", "100ms");
        p.put("router.defaults.max-backoff", "400ms");
        // as command-line arguments: default properties rank below jobsdb's JOBS_DB_* defaults
        String[] args = p.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(RouterApplication.class)
                .web(WebApplicationType.NONE)
                .run(args);
    }

    @Test
    void aKilledReplicasPartitionsMoveAndEveryEventArrivesInOrderPerUser() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {}));
        ConfigurableApplicationContext a = replica(db, config, "replica-a");
        try (ScriptedSink sink = new ScriptedSink();
                ConfigurableApplicationContext b = replica(db, config, "replica-b")) {
            sink.delay(Duration.ofMillis(15));
            RouterRuntime routerA = a.getBean(RouterRuntime.class);
            RouterRuntime routerB = b.getBean(RouterRuntime.class);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !routerA.owned().isEmpty()
                            && !routerB.owned().isEmpty()
                            && routerA.owned().size() + routerB.owned().size() == 64);

            List<NewJob> jobs = new ArrayList<>();
            for (int seq = 1; seq <= PER_USER; seq++)
                for (int u = 0; u < USERS; u++)
                    jobs.add(TestJobs.job(
                            "WEBHOOK", "d-hook", sink.url("/hook"), "user-" + u, "m-" + u + "-" + seq, seq));
            List<Long> ids = b.getBean(JobsDbs.class).queue(Queue.RT).store(jobs);
            RtStatuses statuses = new RtStatuses(b.getBean(DataSource.class));

            await().atMost(Duration.ofSeconds(60)).until(() -> sink.delivered().size() >= 60);
            routerA.crash();
            a.close();

            await().atMost(Duration.ofSeconds(90)).until(() -> statuses.countLatest(ids, "succeeded") == ids.size());
            assertThat(routerB.owned()).hasSize(64);

            List<ScriptedSink.Received> delivered = sink.delivered();
            Map<String, Set<Integer>> seen = new HashMap<>();
            for (ScriptedSink.Received r : delivered) {
                Set<Integer> mine = seen.computeIfAbsent(r.userId(), k -> new HashSet<>());
                for (int earlier = 1; earlier < r.seq(); earlier++)
                    assertThat(mine)
                            .as("%s got event %d before event %d", r.userId(), r.seq(), earlier)
                            .contains(earlier);
                mine.add(r.seq());
            }
            assertThat(seen).hasSize(USERS);
            seen.values().forEach(s -> assertThat(s).hasSize(PER_USER));
            log.atInfo()
                    .setMessage("{} jobs, {} deliveries ({} repeated after the takeover)")
                    .addArgument(ids.size())
                    .addArgument(delivered.size())
                    .addArgument(delivered.size() - ids.size())
                    .log();
        } finally {
            a.close();
        }
    }

    @Test
    void aStoppedReplicaPutsTheJobsItHadNotStartedBackAsWaiting() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {}));
        try (ScriptedSink sink = new ScriptedSink()) {
            sink.delay(Duration.ofMillis(300));
            ConfigurableApplicationContext router = replica(db, config, "replica-stopping");
            List<NewJob> jobs = new ArrayList<>();
            for (int seq = 1; seq <= 20; seq++)
                jobs.add(TestJobs.job("WEBHOOK", "d-hook", sink.url("/hook"), "one-user", "s-" + seq, seq));
            List<Long> ids = router.getBean(JobsDbs.class).queue(Queue.RT).store(jobs);
            RtStatuses statuses = new RtStatuses(router.getBean(DataSource.class));
            await().atMost(Duration.ofSeconds(30)).until(() -> statuses.countLatest(ids, "succeeded") >= 1);
            router.close();

            try (ConfigurableApplicationContext reader = replica(db, config, "replica-reader", false)) {
                assertThat(reader.getBean(RouterRuntime.class).isRunning()).isFalse();
                RtStatuses after = new RtStatuses(reader.getBean(DataSource.class));
                assertThat(after.countLatest(ids, "executing")).isZero();
                long waiting = after.countLatest(ids, "waiting");
                long succeeded = after.countLatest(ids, "succeeded");
                assertThat(waiting).isPositive();
                assertThat(waiting + succeeded).isEqualTo(ids.size());
                long someWaiting = ids.stream()
                        .filter(id -> after.latest(id).equals("waiting"))
                        .findFirst()
                        .orElseThrow();
                assertThat(after.of(someWaiting).getLast().response()).contains("router stopped before delivery");
            }
        }
    }
}
