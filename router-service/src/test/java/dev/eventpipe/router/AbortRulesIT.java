package dev.eventpipe.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.router.support.MutableClock;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.ScriptedSink.Reply;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The abort and drain rules, with the router's clock moved by the test (defaults: 10 s backoff, 3 h, 3 tries). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class AbortRulesIT {
    static final ScriptedSink sink = DeliveryIT.newSink();

    @TestConfiguration
    static class Clock {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock();
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws IOException {
        TestPostgres.register(r);
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {}));
        r.add("workspace-config.path", config::toString);
        r.add("router.poll-interval", () -> "50ms");
        r.add("router.max-status-update-wait", () -> "20ms");
    }

    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    DataSource dataSource;

    @Autowired
    MutableClock clock;

    @Autowired
    InstantSource routerClock;

    @BeforeEach
    void realTime() {
        clock.reset();
    }

    @AfterAll
    static void closeSink() {
        sink.close();
    }

    long store(String user, String messageId) {
        return jobsDbs.queue(Queue.RT)
                .store(List.of(TestJobs.job("WEBHOOK", "d-hook", sink.url("/hook"), user, messageId, 1)))
                .getFirst();
    }

    void awaitStates(long id, String... states) {
        RtStatuses statuses = new RtStatuses(dataSource);
        await().atMost(Duration.ofSeconds(30)).until(() -> statuses.states(id).equals(List.of(states)));
    }

    static Reply[] times(int n, int status) {
        Reply[] replies = new Reply[n];
        java.util.Arrays.fill(replies, Reply.of(status));
        return replies;
    }

    @Test
    void theRouterRunsOnTheInjectedClock() {
        assertThat(routerClock).isSameAs(clock);
    }

    @Test
    void aServerErrorIsAbortedOnlyOnceTheWindowAndThreeAttemptsAreSpent() {
        sink.script("w-1", times(10, 500));
        long id = store("u-1", "w-1");
        awaitStates(id, "executing:1", "failed:1");
        clock.advance(Duration.ofHours(4));
        // the window is spent, but this is only the second attempt
        awaitStates(id, "executing:1", "failed:1", "executing:2", "failed:2");
        clock.advance(Duration.ofMinutes(1));
        awaitStates(id, "executing:1", "failed:1", "executing:2", "failed:2", "executing:3", "aborted:3");
        assertThat(new RtStatuses(dataSource).of(id).getLast().code()).isEqualTo("500");
    }

    @Test
    void attemptsAloneDoNotAbortWithinTheWindow() {
        sink.script("w-2", times(10, 500));
        long id = store("u-2", "w-2");
        awaitStates(id, "executing:1", "failed:1");
        for (int attempt = 2; attempt <= 4; attempt++) {
            clock.advance(Duration.ofMinutes(10));
            int n = attempt;
            RtStatuses statuses = new RtStatuses(dataSource);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> statuses.states(id).getLast().equals("failed:" + n));
        }
        assertThat(new RtStatuses(dataSource).latest(id)).isEqualTo("failed");
    }

    @Test
    void throttlingIsRetriedBeyondTheWindow() {
        sink.script("w-3", times(10, 429));
        long id = store("u-3", "w-3");
        awaitStates(id, "executing:1", "failed:1");
        clock.advance(Duration.ofHours(4));
        awaitStates(id, "executing:1", "failed:1", "executing:2", "failed:2");
        clock.advance(Duration.ofMinutes(10));
        awaitStates(id, "executing:1", "failed:1", "executing:2", "failed:2", "executing:3", "failed:3");
    }

    @Test
    void aJobOlderThanTheRetentionIsDrained() {
        sink.failUntilReleased("w-4");
        long id = store("u-4", "w-4");
        awaitStates(id, "executing:1", "failed:1");
        clock.advance(Duration.ofHours(721));
        awaitStates(id, "executing:1", "failed:1", "aborted:1");
        RtStatuses.Row row = new RtStatuses(dataSource).of(id).getLast();
        assertThat(row.code()).isEqualTo("410");
        assertThat(row.response()).contains("job expired");
        assertThat(sink.receivedFor("w-4")).hasSize(1);
    }
}
