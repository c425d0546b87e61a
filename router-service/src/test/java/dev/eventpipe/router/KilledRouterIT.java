package dev.eventpipe.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.router.support.Replicas;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A router process killed with {@code kill -9} while it delivers a job for the first time (review P3-9): the
 * replica that takes the partition over recovers the job as {@code failed} and retries it, and the retry window
 * counts from that first attempt, not from the retry. The killed router is this module's exec jar in a JVM of its
 * own; the one that takes over runs in this JVM.
 */
class KilledRouterIT {
    private static final Path EXEC_JAR = Path.of("target", "router-service-exec.jar");

    @Test
    void aJobWhoseFirstAttemptARouterDiedInKeepsThatAttemptAsItsFirst() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {}));
        try (ScriptedSink sink = new ScriptedSink();
                ConfigurableApplicationContext reader = Replicas.start(db, config, "reader", false)) {
            sink.delay(Duration.ofMinutes(30)); // the first delivery is never answered while the router lives
            long job = reader.getBean(JobsDbs.class)
                    .queue(Queue.RT)
                    .store(List.of(TestJobs.job("WEBHOOK", "d-hook", sink.url("/hook"), "u-1", "m-1", 1)))
                    .getFirst();
            RtStatuses statuses = new RtStatuses(reader.getBean(DataSource.class));

            Process router = startRouter(db, config);
            try {
                await("the killed router's first delivery reaches the sink")
                        .atMost(Duration.ofMinutes(10)) // a JVM of its own starts slowly on a busy machine
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            if (!router.isAlive()) throw new IllegalStateException("router exited: " + log());
                            return sink.arrivals() >= 1;
                        });
            } finally {
                router.destroyForcibly(); // SIGKILL: no shutdown hook, the executing row stays
                router.waitFor(30, TimeUnit.SECONDS);
            }
            RtStatuses.Row executing = statuses.of(job).getLast();
            assertThat(executing.state()).isEqualTo("executing");
            assertThat(executing.attempt()).isEqualTo(1);
            assertThat(executing.firstAttemptedAt())
                    .as("a first attempt has no first time yet")
                    .isNull();
            Instant firstAttempt = executing.execTime();

            sink.delay(Duration.ZERO);
            sink.failAll("/hook"); // the retry fails, so its status keeps the window's start
            try (ConfigurableApplicationContext successor = Replicas.start(db, config, "successor")) {
                await("the successor recovered the job and retried it")
                        .atMost(Duration.ofMinutes(2))
                        .until(() -> statuses.of(job).stream()
                                .anyMatch(r -> r.state().equals("failed") && r.attempt() == 2));
            }
            List<RtStatuses.Row> rows = statuses.of(job);
            assertThat(rows)
                    .extracting(r -> r.state() + ":" + r.attempt())
                    .startsWith("executing:1", "failed:1", "executing:2", "failed:2");
            RtStatuses.Row recovered = rows.get(1);
            assertThat(recovered.response()).contains("process stopped while the job was executing");
            assertThat(recovered.firstAttemptedAt()).isEqualTo(firstAttempt);
            assertThat(rows.get(3).firstAttemptedAt())
                    .as("the retry after the crash counts the window from the attempt the router died in")
                    .isEqualTo(firstAttempt);
        }
    }

    private static Process startRouter(TestPostgres.Database db, Path config) throws IOException {
        assertThat(EXEC_JAR).as("built by the package phase, before the ITs").exists();
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-jar",
                EXEC_JAR.toString(),
                "--server.port=0",
                "--spring.datasource.url=" + db.url(),
                "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=" + db.password(),
                "--workspace-config.path=" + config,
                "--router.instance-id=killed",
                "--router.lease-ttl=6s", // renewed in time on a busy machine; the successor waits this long at most
                "--router.poll-interval=50ms",
                "--router.max-status-update-wait=20ms",
                // the send stays open until the kill (the default 10 s would fail the attempt first)
                "--router.defaults.http-timeout=30m",
                "--egress.allow=127.0.0.1/32");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log().toFile());
        builder.environment().put("SERVICE_TOKEN", System.getProperty("SERVICE_TOKEN", "killed-router-it-token"));
        return builder.start();
    }

    private static Path log() {
        return Path.of("target", "killed-router.log");
    }
}
