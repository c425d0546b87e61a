package dev.eventpipe.router.recent;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobQuery;
import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.json.Json;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/jobs/recent?workspaceId=&sourceId=&destinationId=&limit=50}: the newest router jobs, newest
 * first, in every state ({@code pending} before the first pickup), with the last attempt's status code and
 * response, so the web app can show what each destination did with an event (joined by {@code messageId}). Of one
 * workspace ({@code workspaceId} is required, {@code WorkspaceScopeFilter}).
 */
@RestController
class RecentJobsController {
    record RecentJob(
            long jobId,
            @Nullable String destinationId,
            @Nullable String sourceId,
            @Nullable String messageId,
            String state,
            int attempt,
            String errorCode,
            JsonNode errorResponse,
            @Nullable Instant lastAttemptAt) {}

    private final JobsDb rt;

    RecentJobsController(JobsDbs jobsDbs) {
        this.rt = jobsDbs.queue(Queue.RT);
    }

    @GetMapping("/api/v1/jobs/recent")
    List<RecentJob> recent(
            @RequestParam String workspaceId,
            @RequestParam(required = false) @Nullable String sourceId,
            @RequestParam(required = false) @Nullable String destinationId,
            @RequestParam(defaultValue = "50") int limit) {
        JobQuery query = JobQuery.first(Math.clamp(limit, 1, 500)).workspace(workspaceId);
        if (sourceId != null && !sourceId.isBlank()) query = query.source(sourceId);
        if (destinationId != null && !destinationId.isBlank()) query = query.destination(destinationId);
        return rt.fetchRecent(query).stream().map(RecentJobsController::view).toList();
    }

    private static RecentJob view(Job job) {
        JsonNode parameters = Json.mapper().readTree(job.parameters());
        var status = job.lastStatus();
        return new RecentJob(
                job.jobId(),
                text(parameters.path("destination_id")),
                text(parameters.path("source_id")),
                text(parameters.path("message_id")),
                status == null ? "pending" : status.state().dbName(),
                job.attempts(),
                status == null ? "" : status.errorCode(),
                Json.mapper().readTree(status == null ? "{}" : status.errorResponse()),
                status == null ? null : status.execTime());
    }

    private static @Nullable String text(JsonNode node) {
        return node.isString() ? node.asString() : null;
    }
}
