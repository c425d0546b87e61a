package dev.eventpipe.processor.recent;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobQuery;
import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.json.Json;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/events/recent?workspaceId=&sourceId=&limit=50}: the newest gateway jobs, newest first, each
 * with the event as received and the processor's outcome ({@code state}: pending, also while the processor works
 * on the job, then succeeded, filtered or aborted; executing only as an older processor left it, until its partition
 * is next taken up; {@code errorResponse}: which destinations filtered or failed it, and why). The write key stored
 * with the job is never returned. Only that workspace's jobs ({@code workspaceId} is required, {@code
 * WorkspaceScopeFilter}).
 */
@RestController
class RecentEventsController {
    record RecentEvent(
            long jobId,
            String workspaceId,
            @Nullable String sourceId,
            @Nullable String messageId,
            @Nullable String receivedAt,
            JsonNode payload,
            String state,
            JsonNode errorResponse) {}

    private final JobsDb gw;

    RecentEventsController(JobsDbs jobsDbs) {
        this.gw = jobsDbs.queue(Queue.GW);
    }

    @GetMapping("/api/v1/events/recent")
    List<RecentEvent> recent(
            @RequestParam String workspaceId,
            @RequestParam(required = false) @Nullable String sourceId,
            @RequestParam(defaultValue = "50") int limit) {
        JobQuery query =
                JobQuery.first(Math.clamp(limit, 1, 500)).customVal("GW").workspace(workspaceId);
        if (sourceId != null && !sourceId.isBlank()) query = query.source(sourceId);
        return gw.fetchRecent(query).stream().map(RecentEventsController::view).toList();
    }

    private static RecentEvent view(Job job) {
        JsonNode stored = Json.mapper().readTree(job.payload());
        JsonNode event = stored.path("batch").path(0);
        JsonNode parameters = Json.mapper().readTree(job.parameters());
        return new RecentEvent(
                job.jobId(),
                job.workspaceId(),
                text(parameters.path("source_id")),
                text(event.path("messageId")),
                text(stored.path("receivedAt")),
                event,
                job.lastStatus() == null ? "pending" : job.lastStatus().state().dbName(),
                Json.mapper()
                        .readTree(
                                job.lastStatus() == null
                                        ? "{}"
                                        : job.lastStatus().errorResponse()));
    }

    private static @Nullable String text(JsonNode node) {
        return node.isString() ? node.asString() : null;
    }
}
