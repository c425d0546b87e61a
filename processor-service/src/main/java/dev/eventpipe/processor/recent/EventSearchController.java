package dev.eventpipe.processor.recent;

import dev.eventpipe.model.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/events/search?workspaceId=&id=&limit=20}: the gateway jobs whose event has this messageId,
 * userId or anonymousId, newest first, each as received (with the request's IP and the SDK that sent it) and with
 * the processor's outcome (which destinations filtered or failed it, and why). The write key is never returned.
 * Only jobs still held are found: a dataset is dropped once all its jobs are done.
 */
@RestController
class EventSearchController {
    // strpos narrows the scan to payloads holding the text; the exact field match is checked on the parsed event
    private static final String SEARCH = """
            SELECT j.job_id, j.workspace_id, j.parameters::text AS parameters, j.event_payload, j.created_at,
                   ls.job_state, ls.error_response::text AS error_response
            FROM gw_jobs j
            LEFT JOIN LATERAL (
                SELECT s.job_state, s.error_response FROM gw_job_status s
                WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
            WHERE strpos(j.event_payload, :id) > 0
              AND (CAST(:workspaceId AS text) IS NULL OR j.workspace_id = :workspaceId)
            ORDER BY j.job_id DESC
            LIMIT 200""";

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

    private final JdbcClient jdbc;

    EventSearchController(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    @GetMapping("/api/v1/events/search")
    List<ReceivedEvent> search(
            @RequestParam(required = false) @Nullable String workspaceId,
            @RequestParam String id,
            @RequestParam(defaultValue = "20") int limit) {
        if (id.isBlank()) return List.of();
        List<ReceivedEvent> found = new ArrayList<>();
        jdbc.sql(SEARCH)
                .param("id", id)
                .param("workspaceId", workspaceId == null || workspaceId.isBlank() ? null : workspaceId)
                .query(rs -> {
                    if (found.size() >= Math.clamp(limit, 1, 100)) return;
                    JsonNode stored = Json.mapper().readTree(rs.getString("event_payload"));
                    JsonNode event = stored.path("batch").path(0);
                    if (!id.equals(text(event.path("messageId")))
                            && !id.equals(text(event.path("userId")))
                            && !id.equals(text(event.path("anonymousId")))) return;
                    String state = rs.getString("job_state");
                    String processing = rs.getString("error_response");
                    JsonNode library = event.path("context").path("library");
                    found.add(new ReceivedEvent(
                            rs.getLong("job_id"),
                            rs.getString("workspace_id"),
                            text(Json.mapper()
                                    .readTree(rs.getString("parameters"))
                                    .path("source_id")),
                            text(event.path("messageId")),
                            text(event.path("userId")),
                            text(event.path("anonymousId")),
                            text(stored.path("receivedAt")),
                            rs.getTimestamp("created_at").toInstant(),
                            text(stored.path("requestIP")),
                            new Sdk(text(library.path("name")), text(library.path("version"))),
                            event,
                            state == null ? "pending" : state,
                            Json.mapper().readTree(processing == null ? "{}" : processing)));
                });
        return found;
    }

    private static @Nullable String text(JsonNode node) {
        return node.isString() ? node.asString() : null;
    }
}
