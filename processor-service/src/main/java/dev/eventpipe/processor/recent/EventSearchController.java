package dev.eventpipe.processor.recent;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobReads;
import dev.eventpipe.jobsdb.JobStatus;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/events/search?workspaceId=&id=&limit=20}: the gateway jobs whose event has this messageId,
 * userId or anonymousId, newest first, each as received (with the request's IP and the SDK that sent it) and with
 * the processor's outcome (which destinations filtered or failed it, and why). The write key is never returned.
 * Only jobs still held are found: a dataset is dropped once all its jobs are done. Only that workspace's jobs
 * are searched ({@code workspaceId} is required, {@code WorkspaceScopeFilter}).
 */
@RestController
class EventSearchController {
    // jobs whose payload holds the id at all; the exact field match is checked here on the parsed event
    private static final int SCAN = 200;

    record Sdk(@Nullable String name, @Nullable String version) {}

    record ReceivedEvent(
            long jobId,
            String workspaceId,
            @Nullable String sourceId,
            @Nullable String messageId,
            @Nullable String userId,
            @Nullable String anonymousId,
            @Nullable String receivedAt,
            Instant storedAt,
            @Nullable String requestIp,
            Sdk sdk,
            JsonNode payload,
            String state,
            JsonNode processing) {}

    private final JobReads reads;

    EventSearchController(JobsDbs jobsDbs) {
        this.reads = jobsDbs.reads();
    }

    @GetMapping("/api/v1/events/search")
    List<ReceivedEvent> search(
            @RequestParam String workspaceId, @RequestParam String id, @RequestParam(defaultValue = "20") int limit) {
        if (id.isBlank()) return List.of();
        List<ReceivedEvent> found = new ArrayList<>();
        for (Job job : reads.containing(Queue.GW, id, workspaceId, SCAN)) {
            if (found.size() >= Math.clamp(limit, 1, 100)) break;
            JsonNode stored = Json.mapper().readTree(job.payload());
            JsonNode event = stored.path("batch").path(0);
            if (!id.equals(text(event.path("messageId")))
                    && !id.equals(text(event.path("userId")))
                    && !id.equals(text(event.path("anonymousId")))) continue;
            JobStatus status = job.lastStatus();
            JsonNode library = event.path("context").path("library");
            found.add(new ReceivedEvent(
                    job.jobId(),
                    job.workspaceId(),
                    text(Json.mapper().readTree(job.parameters()).path("source_id")),
                    text(event.path("messageId")),
                    text(event.path("userId")),
                    text(event.path("anonymousId")),
                    text(stored.path("receivedAt")),
                    job.createdAt(),
                    text(stored.path("requestIP")),
                    new Sdk(text(library.path("name")), text(library.path("version"))),
                    event,
                    status == null ? "pending" : status.state().dbName(),
                    Json.mapper().readTree(status == null ? "{}" : status.errorResponse())));
        }
        return found;
    }

    private static @Nullable String text(JsonNode node) {
        return node.isString() ? node.asString() : null;
    }
}
