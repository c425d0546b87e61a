package dev.eventpipe.router;

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
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Where a user with jobs in flight is parked (issue 16: at the highest job handed out to it, no longer the lowest).
 * Each user's jobs are one run of consecutive ids (a burst), and the workers' queues take 3 jobs, so a pickup hands
 * out a user's next few jobs and keeps the one after without a status; while the user is parked the destination's
 * floor passes its jobs, and once they settle it catches up from its position. A position one job too high would
 * pass that kept job, which no read would return again: it would never be delivered. Each user's jobs fail once
 * mid-way, so the failure paths (the worker's {@code waiting} rows for the jobs queued behind the failed one, the
 * retry alone, the failed user parked at its first pending job) are on the way.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ParkedUsersIT {
    static final ScriptedSink sink = DeliveryIT.newSink();
    static final int USERS = 16;
    static final int PER_USER = 40;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws IOException {
        TestPostgres.register(r);
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-park"}, new String[] {}));
        r.add("workspace-config.path", config::toString);
        r.add("router.poll-interval", () -> "50ms");
        r.add("router.max-status-update-wait", () -> "20ms");
        r.add("router.defaults.workers", () -> "4");
        r.add("router.defaults.queue-capacity", () -> "3");
        r.add("router.defaults.min-backoff", () -> "100ms");
        r.add("router.defaults.max-backoff", () -> "200ms");
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
    void aUserWhoseJobsInFlightFailMidWayGetsEveryJobDeliveredOnceInOrder() {
        List<NewJob> jobs = new ArrayList<>();
        for (int u = 0; u < USERS; u++)
            for (int seq = 1; seq <= PER_USER; seq++) {
                String id = "p-" + u + "-" + seq;
                // one job of each user fails once, at a different place in its groups of 3; a few fail twice
                if (seq == 2 + u % 7) sink.script(id, Reply.of(500));
                if (seq == 20 + u % 5 && u % 3 == 0) sink.script(id, Reply.of(503), Reply.of(500));
                jobs.add(TestJobs.job("WEBHOOK", "d-park", sink.url("/p"), "pu-" + u, id, seq));
            }
        List<Long> ids = jobsDbs.queue(Queue.RT).store(jobs);

        RtStatuses statuses = new RtStatuses(dataSource);
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> statuses.countLatest(ids, "succeeded") == ids.size());

        IsolationIT.assertEachUsersJobsDeliveredOnceInOrder(sink, "p-", USERS, PER_USER);
    }
}
