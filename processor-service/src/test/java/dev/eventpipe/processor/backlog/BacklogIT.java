package dev.eventpipe.processor.backlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.processor.TestWorkspace;
import dev.eventpipe.testkit.TestPostgres;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A workspace's unfinished router jobs count as its backlog; finished ones do not; storage is measured. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class BacklogIT {
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        TestPostgres.register(r);
        r.add("workspace-config.path", () -> TestWorkspace.write().toString());
        r.add("processor.transformer.url", () -> "http://127.0.0.1:9");
    }

    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    BacklogController backlog;

    @Test
    void unfinishedJobsOfTheWorkspaceAreItsBacklog() {
        String ws = "ws-" + UUID.randomUUID();
        List<Long> ids = jobsDbs.queue(Queue.RT)
                .store(List.of(
                        NewJob.of("u1", ws, "WEBHOOK", "{}", "{}"),
                        NewJob.of("u2", ws, "WEBHOOK", "{}", "{}"),
                        NewJob.of("u3", ws, "WEBHOOK", "{}", "{}")));
        Instant now = Instant.now();
        jobsDbs.queue(Queue.RT)
                .updateStatus(List.of(
                        StatusUpdate.of(ids.get(0), JobState.SUCCEEDED, 1, now),
                        StatusUpdate.of(ids.get(1), JobState.FAILED, 1, now)));

        BacklogController.Backlog b = backlog.backlog(ws);
        assertThat(b.stages())
                .extracting(BacklogController.StageBacklog::queue, BacklogController.StageBacklog::pending)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("gw", 0L),
                        org.assertj.core.groups.Tuple.tuple("rt", 2L),
                        org.assertj.core.groups.Tuple.tuple("batch_rt", 0L));
        assertThat(b.stages().get(1).oldest()).isNotNull();
        assertThat(b.storage().usedBytes()).isPositive();
    }
}
