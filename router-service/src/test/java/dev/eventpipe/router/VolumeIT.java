package dev.eventpipe.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.ScriptedSink.Reply;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Many users at once, some of them failing now and then: every user's events still arrive exactly in order. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class VolumeIT {
    private static final Logger log = LoggerFactory.getLogger(VolumeIT.class);
    static final ScriptedSink sink = DeliveryIT.newSink();
    static final int USERS = 100;
    static final int PER_USER = 20;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws IOException {
        TestPostgres.register(r);
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {}));
        r.add("workspace-config.path", config::toString);
        r.add("router.poll-interval", () -> "50ms");
        // slow commits widen the window in which a settled-in-memory job could be overtaken
        r.add("router.max-status-update-wait", () -> "150ms");
        r.add("router.defaults.min-backoff", () -> "100ms");
        r.add("router.defaults.max-backoff", () -> "200ms");
        // small pages: many held jobs lie beyond the first page, yet none may be overtaken
        r.add("router.job-query-batch-size", () -> "50");
    }

    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    DataSource dataSource;

    @AfterAll
    static void closeSink() {
        sink.close();
    }

    @Test
    void everyUsersEventsArriveInOrderWhileSomeFailAndAreRetried() {
        List<NewJob> jobs = new ArrayList<>();
        for (int seq = 1; seq <= PER_USER; seq++)
            for (int u = 0; u < USERS; u++) {
                String id = "v-" + u + "-" + seq;
                // every 17th event fails twice before it goes through
                if ((u * PER_USER + seq) % 17 == 0) sink.script(id, Reply.of(503), Reply.of(500));
                jobs.add(TestJobs.job("WEBHOOK", "d-hook", sink.url("/v"), "vu-" + u, id, seq));
            }
        Instant start = Instant.now();
        List<Long> ids = jobsDbs.queue(Queue.RT).store(jobs);
        RtStatuses statuses = new RtStatuses(dataSource);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> statuses.countLatest(ids, "succeeded") == ids.size());
        Duration took = Duration.between(start, Instant.now());

        Map<String, List<Integer>> byUser = IsolationIT.deliveredOrderByUser(sink.received(), "v-");
        assertThat(byUser).hasSize(USERS);
        List<Integer> expected = IntStream.rangeClosed(1, PER_USER).boxed().toList();
        byUser.forEach((user, seqs) -> assertThat(seqs).as("order of %s", user).isEqualTo(expected));
        log.atInfo()
                .setMessage("{} jobs of {} users delivered in order in {} ms ({} jobs/s, {} requests)")
                .addArgument(ids.size())
                .addArgument(USERS)
                .addArgument(took.toMillis())
                .addArgument(ids.size() * 1000L / Math.max(1, took.toMillis()))
                .addArgument(sink.received().size())
                .log();
    }
}
