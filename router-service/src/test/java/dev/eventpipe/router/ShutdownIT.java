package dev.eventpipe.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.router.leases.RouterLeases;
import dev.eventpipe.router.pickup.PickupLoop;
import dev.eventpipe.router.support.Replicas;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A router stopped gracefully (the application closed, as on SIGTERM) leaves no job {@code executing}: the jobs its
 * workers had been handed but had not started go back as {@code waiting}. A router killed with {@code kill -9} is
 * a process of its own in system-tests' {@code RouterFailuresIT}.
 */
class ShutdownIT {

    @Test
    void aStoppedReplicaPutsTheJobsItHadNotStartedBackAsWaiting() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {}));
        try (ScriptedSink sink = new ScriptedSink()) {
            sink.delay(Duration.ofMillis(300));
            ConfigurableApplicationContext router = Replicas.start(db, config, "replica-stopping");
            List<NewJob> jobs = new ArrayList<>();
            for (int seq = 1; seq <= 20; seq++)
                jobs.add(TestJobs.job("WEBHOOK", "d-hook", sink.url("/hook"), "one-user", "s-" + seq, seq));
            List<Long> ids = router.getBean(JobsDbs.class).queue(Queue.RT).store(jobs);
            RtStatuses statuses = new RtStatuses(router.getBean(DataSource.class));
            await().atMost(Duration.ofSeconds(30)).until(() -> statuses.countLatest(ids, "succeeded") >= 1);
            router.close();

            try (ConfigurableApplicationContext reader = Replicas.start(db, config, "replica-reader", false)) {
                // router.enabled=false: neither the pickup nor the leases run
                assertThat(reader.getBean(PickupLoop.class).isRunning()).isFalse();
                assertThat(reader.getBean(RouterLeases.class).isRunning()).isFalse();
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
