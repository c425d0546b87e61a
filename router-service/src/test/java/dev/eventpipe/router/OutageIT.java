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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Failure patterns a real destination shows, through the router's real pickup, a real HTTP sink and PostgreSQL,
 * with the production defaults except shorter backoffs and a small pickup window: every job ends delivered, each
 * event is answered 2xx exactly once, and each user's events arrive in order.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class OutageIT {
    static final ScriptedSink sink = DeliveryIT.newSink();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws IOException {
        TestPostgres.register(r);
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(
                config, TestJobs.workspaceConfig(new String[] {"d-many", "d-down", "d-fine"}, new String[] {}));
        r.add("workspace-config.path", config::toString);
        r.add("router.poll-interval", () -> "50ms");
        r.add("router.max-status-update-wait", () -> "20ms");
        r.add("router.defaults.min-backoff", () -> "200ms");
        r.add("router.defaults.max-backoff", () -> "1s");
        // a pickup window of 2 x 100 jobs, so a backlog larger than it is cheap to build
        r.add("router.job-query-batch-size", () -> "100");
        r.add("router.max-queries-per-pickup", () -> "2");
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
    void manyUsersFailingAtOnceAllRecoverWithoutARestart() {
        int users = 40;
        int perUser = 5;
        List<NewJob> jobs = new ArrayList<>();
        for (int u = 0; u < users; u++) sink.script("many-" + u + "-0", Reply.of(500), Reply.of(500));
        for (int i = 0; i < perUser; i++)
            for (int u = 0; u < users; u++)
                jobs.add(TestJobs.job("WEBHOOK", "d-many", sink.url("/many"), "mu-" + u, "many-" + u + "-" + i, i));
        List<Long> ids = jobsDbs.queue(Queue.RT).store(jobs);

        RtStatuses statuses = new RtStatuses(dataSource);
        await().atMost(Duration.ofMinutes(3)).until(() -> statuses.countLatest(ids, "succeeded") == ids.size());
        assertDeliveredOnceInOrder("many-", users * perUser);
        assertThat(sink.received().stream().filter(r -> r.messageId().startsWith("many-") && r.status() == 500))
                .hasSize(users * 2);
    }

    @Test
    void aFailingDestinationsBacklogLargerThanThePickupWindowDoesNotDelayAHealthyOne() {
        RtStatuses statuses = new RtStatuses(dataSource);
        sink.failAll("/down");
        List<NewJob> down = new ArrayList<>();
        for (int i = 0; i < 10; i++)
            for (int u = 0; u < 60; u++)
                down.add(TestJobs.job("WEBHOOK", "d-down", sink.url("/down"), "du-" + u, "down-" + u + "-" + i, i));
        List<Long> downIds = jobsDbs.queue(Queue.RT).store(down);
        // every user of the failing destination has failed once: its backlog now sits ahead of any new job
        await().atMost(Duration.ofMinutes(2))
                .until(() -> sink.received().stream()
                                .filter(r -> r.path().equals("/down"))
                                .map(ScriptedSink.Received::userId)
                                .distinct()
                                .count()
                        == 60);

        List<NewJob> fine = new ArrayList<>();
        for (int i = 0; i < 10; i++)
            for (int u = 0; u < 10; u++)
                fine.add(TestJobs.job("WEBHOOK", "d-fine", sink.url("/fine"), "fu-" + u, "fine-" + u + "-" + i, i));
        List<Long> fineIds = jobsDbs.queue(Queue.RT).store(fine);
        await().atMost(Duration.ofMinutes(2)).until(() -> statuses.countLatest(fineIds, "succeeded") == fineIds.size());
        assertThat(statuses.countLatest(downIds, "succeeded"))
                .as("the failing destination delivered nothing meanwhile")
                .isZero();
        assertDeliveredOnceInOrder("fine-", fineIds.size());

        sink.heal("/down");
        await().atMost(Duration.ofMinutes(3)).until(() -> statuses.countLatest(downIds, "succeeded") == downIds.size());
        assertDeliveredOnceInOrder("down-", downIds.size());
    }

    /** Every event with the prefix answered 2xx exactly once, and each user's 2xx answers in sequence order. */
    static void assertDeliveredOnceInOrder(String prefix, int events) {
        List<ScriptedSink.Received> delivered = sink.delivered().stream()
                .filter(r -> r.messageId().startsWith(prefix))
                .toList();
        Map<String, Long> perEvent = delivered.stream()
                .collect(Collectors.groupingBy(ScriptedSink.Received::messageId, Collectors.counting()));
        assertThat(perEvent).hasSize(events);
        assertThat(perEvent.values()).as("deliveries per event").allMatch(n -> n == 1);
        Map<String, List<Integer>> byUser = delivered.stream()
                .collect(Collectors.groupingBy(
                        ScriptedSink.Received::userId,
                        Collectors.mapping(ScriptedSink.Received::seq, Collectors.toList())));
        byUser.forEach((user, seqs) -> assertThat(seqs).as("order of %s", user).isSorted());
    }
}
