package dev.eventpipe.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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

/** A hanging destination does not hold up a healthy one; a rate-limited destination is delayed, never failed. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class IsolationIT {
    private static final Logger log = LoggerFactory.getLogger(IsolationIT.class);
    static final ScriptedSink sink = DeliveryIT.newSink();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws IOException {
        TestPostgres.register(r);
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(
                config, TestJobs.workspaceConfig(new String[] {"d-healthy", "d-hang", "d-throttled"}, new String[] {}));
        r.add("workspace-config.path", config::toString);
        r.add("router.poll-interval", () -> "50ms");
        r.add("router.max-status-update-wait", () -> "20ms");
        r.add("router.defaults.min-backoff", () -> "200ms");
        r.add("router.defaults.max-backoff", () -> "1s");
        r.add("router.overrides.HANGY.http-timeout", () -> "5s");
        r.add("router.overrides.HANGY.workers", () -> "2");
        r.add("router.overrides.THROTTLED.rate-limit", () -> "3");
        r.add("router.overrides.THROTTLED.rate-window", () -> "300ms");
    }

    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @AfterAll
    static void closeSink() {
        sink.close();
    }

    List<Long> store(List<NewJob> jobs) {
        return jobsDbs.queue(Queue.RT).store(jobs);
    }

    /**
     * What the router promises for a burst of {@code users} users with {@code perUser} jobs each (message ids starting
     * with {@code prefix}, sequence numbers 1 to {@code perUser}): the sink took every job once, none twice, and each
     * user's in order.
     */
    static void assertEachUsersJobsDeliveredOnceInOrder(ScriptedSink sink, String prefix, int users, int perUser) {
        Map<String, Integer> deliveries = new HashMap<>();
        for (ScriptedSink.Received r : sink.delivered()) deliveries.merge(r.messageId(), 1, Integer::sum);
        assertThat(deliveries).as("every job delivered").hasSize(users * perUser);
        assertThat(deliveries.values()).as("none twice").allMatch(n -> n == 1);
        List<Integer> expected = IntStream.rangeClosed(1, perUser).boxed().toList();
        Map<String, List<Integer>> byUser = deliveredOrderByUser(sink.received(), prefix);
        assertThat(byUser).hasSize(users);
        byUser.forEach((user, seqs) -> assertThat(seqs).as("order of %s", user).isEqualTo(expected));
    }

    static Map<String, List<Integer>> deliveredOrderByUser(List<ScriptedSink.Received> received, String prefix) {
        return received.stream()
                .filter(r -> r.messageId().startsWith(prefix) && r.status() / 100 == 2)
                .collect(Collectors.groupingBy(
                        ScriptedSink.Received::userId,
                        Collectors.mapping(ScriptedSink.Received::seq, Collectors.toList())));
    }

    @Test
    void aHangingDestinationDoesNotHoldUpAHealthyOne() {
        RtStatuses statuses = new RtStatuses(dataSource);
        List<NewJob> hanging = new ArrayList<>();
        for (int i = 0; i < 20; i++)
            hanging.add(TestJobs.job("HANGY", "d-hang", sink.url("/hang"), "hu-" + (i % 10), "hang-" + i, i));
        List<Long> hangIds = store(hanging);
        List<NewJob> healthy = new ArrayList<>();
        for (int i = 0; i < 50; i++)
            healthy.add(TestJobs.job("WEBHOOK", "d-healthy", sink.url("/ok"), "ok-" + (i % 10), "ok-" + i, i));
        Instant start = Instant.now();
        List<Long> okIds = store(healthy);

        await().atMost(Duration.ofSeconds(30)).until(() -> statuses.countLatest(okIds, "succeeded") == 50);
        Duration took = Duration.between(start, Instant.now());
        log.atInfo()
                .setMessage("healthy destination: 50 deliveries in {} ms while the other destination hung")
                .addArgument(took.toMillis())
                .log();

        assertThat(statuses.countLatest(hangIds, "succeeded")).isZero();
        assertThat(sink.received().stream().filter(r -> r.path().startsWith("/hang")))
                .isEmpty();
        deliveredOrderByUser(sink.received(), "ok-")
                .forEach((user, seqs) ->
                        assertThat(seqs).as("order of %s", user).isSorted().hasSize(5));
    }

    @Test
    void aRateLimitedDestinationIsDelayedWithoutFailuresAndInOrder() {
        RtStatuses statuses = new RtStatuses(dataSource);
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 15; i++)
            jobs.add(TestJobs.job("THROTTLED", "d-throttled", sink.url("/rl"), "rl-" + (i % 3), "rl-" + i, i));
        List<Long> ids = store(jobs);
        await().atMost(Duration.ofSeconds(30)).until(() -> statuses.countLatest(ids, "succeeded") == 15);
        for (long id : ids) assertThat(statuses.states(id)).containsExactly("executing:1", "succeeded:1");
        assertThat(meters.counter("router.throttled", "destination.type", "THROTTLED")
                        .count())
                .as("pickups that found the rate limit spent")
                .isPositive();
        Map<String, List<Integer>> byUser = deliveredOrderByUser(sink.received(), "rl-");
        assertThat(byUser).hasSize(3);
        byUser.forEach((user, seqs) ->
                assertThat(seqs).as("order of %s", user).isSorted().hasSize(5));
    }
}
