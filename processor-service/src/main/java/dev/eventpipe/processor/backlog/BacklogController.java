package dev.eventpipe.processor.backlog;

import dev.eventpipe.jobsdb.JobReads;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.PendingJobs;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.jobsdb.StorageBudget;
import dev.eventpipe.jobsdb.StorageSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/backlog?workspaceId=}: per stage of the pipeline (gateway → processor: gw jobs; processor →
 * router: rt jobs; processor → batch router: batch_rt jobs) the jobs not finished yet and the age of the oldest
 * (the stage's lag), and the job tables' storage against their budget ({@link StorageBudget}, measured on each
 * call). The jobs counted are that workspace's ({@code workspaceId} is required); the storage is the
 * installation's. For the web app's health page; a scan of each queue's unfinished jobs, so not for frequent polling.
 */
@RestController
class BacklogController {
    private static final List<Stage> STAGES = List.of(
            new Stage(Queue.GW, "gateway → processor"),
            new Stage(Queue.RT, "processor → router"),
            new Stage(Queue.BATCH_RT, "processor → batch router"));

    private record Stage(Queue queue, String name) {}

    record StageBacklog(
            String queue,
            String stage,
            long pending,
            @Nullable Instant oldest,
            long lagSeconds) {}

    record Storage(long usedBytes, long budgetBytes, boolean accepting, String budgetSource) {}

    record Backlog(Instant measuredAt, List<StageBacklog> stages, Storage storage) {}

    private final JobReads reads;
    private final StorageBudget budget;
    private final InstantSource clock = InstantSource.system();

    BacklogController(JobsDbs jobsDbs, DataSource dataSource, StorageSettings settings) {
        this.reads = jobsDbs.reads(); // the queue tables are jobsdb's: it counts the pending jobs
        this.budget = StorageBudget.open(dataSource, settings); // after JobsDbs: the tables must exist
    }

    @GetMapping("/api/v1/backlog")
    Backlog backlog(@RequestParam String workspaceId) {
        Instant now = clock.instant();
        List<StageBacklog> stages = STAGES.stream()
                .map(s -> {
                    PendingJobs pending = reads.pending(s.queue(), workspaceId);
                    Instant at = pending.oldest();
                    long lag = at == null
                            ? 0
                            : Math.max(0, Duration.between(at, now).toSeconds());
                    return new StageBacklog(s.queue().prefix(), s.name(), pending.count(), at, lag);
                })
                .toList();
        StorageBudget.Status disk = budget.refresh();
        return new Backlog(
                now, stages, new Storage(disk.usedBytes(), disk.budgetBytes(), disk.accepting(), disk.source()));
    }
}
