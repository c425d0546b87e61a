package dev.eventpipe.router.trace;

import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.router.delivery.DeliveryRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/events/trace?workspaceId=&messageId=}: what the router did with one event, per destination: the
 * request as sent (method, URL, headers, body; secrets masked, {@link SecretMask}), every status with its code and
 * the destination's response, and the final state. Built from the rt jobs and statuses still held, and the aborted
 * jobs jobsdb keeps after their dataset is gone ({@code rt_failed_events}, for its retention): a dataset is dropped
 * once all its jobs are done, so older delivered events are no longer found; aborted ones are.
 */
@RestController
class TraceController {
    /** The queue's jobs and the aborted ones jobsdb keeps after their dataset is gone, each job once. */
    private static final String JOBS = """
            SELECT job_id, custom_val, parameters::text AS parameters, created_at, event_payload FROM (
                SELECT j.job_id, j.custom_val, j.parameters, j.created_at, j.event_payload
                FROM rt_jobs j
                WHERE j.parameters->>'message_id' = :messageId
                  AND (CAST(:workspaceId AS text) IS NULL OR j.workspace_id = :workspaceId)
                  AND NOT EXISTS (SELECT 1 FROM rt_failed_events k WHERE k.job_id = j.job_id)
                UNION ALL
                SELECT k.job_id, k.custom_val, k.parameters, k.created_at, k.event_payload
                FROM rt_failed_events k
                WHERE k.parameters->>'message_id' = :messageId
                  AND (CAST(:workspaceId AS text) IS NULL OR k.workspace_id = :workspaceId)) e
            ORDER BY job_id
            LIMIT 50""";
    /** A kept status row has its queue id, so a job in both places (during a compaction) lists each row once. */
    private static final String STATUSES = """
            SELECT job_id, id, job_state, attempt, exec_time, error_code, error_response::text AS error_response
            FROM rt_job_status WHERE job_id IN (:jobIds)
            UNION
            SELECT job_id, id, job_state, attempt, exec_time, error_code, error_response::text AS error_response
            FROM rt_failed_event_statuses WHERE job_id IN (:jobIds)
            ORDER BY job_id, id""";

    private static final String REPLAYS = """
            SELECT original_job_id, new_job_id FROM router_replays WHERE new_job_id IN (:jobIds)""";

    record Request(
            String method,
            String url,
            Map<String, String> headers,
            @Nullable String body,
            @Nullable String bodyType) {}

    record Attempt(String state, int attempt, Instant at, String code, JsonNode response) {}

    record Delivery(
            long jobId,
            String destinationId,
            String destinationType,
            Instant createdAt,
            @Nullable Long replayOf,
            @Nullable Request request,
            @Nullable String requestError,
            List<Attempt> attempts,
            String finalState) {}

    private final JdbcClient jdbc;
    private final WorkspaceConfigClient config;

    TraceController(DataSource dataSource, WorkspaceConfigClient config) {
        this.jdbc = JdbcClient.create(dataSource);
        this.config = config;
    }

    @GetMapping("/api/v1/events/trace")
    List<Delivery> trace(@RequestParam(required = false) @Nullable String workspaceId, @RequestParam String messageId) {
        record Row(long jobId, String type, JsonNode parameters, Instant createdAt, String payload) {}
        List<Row> rows = jdbc.sql(JOBS)
                .param("messageId", messageId)
                .param("workspaceId", workspaceId == null || workspaceId.isBlank() ? null : workspaceId)
                .query((rs, n) -> new Row(
                        rs.getLong("job_id"),
                        rs.getString("custom_val"),
                        Json.mapper().readTree(rs.getString("parameters")),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getString("event_payload")))
                .list();
        if (rows.isEmpty()) return List.of();
        List<Long> ids = rows.stream().map(Row::jobId).toList();
        Map<Long, List<Attempt>> attempts = new LinkedHashMap<>();
        jdbc.sql(STATUSES).param("jobIds", ids).query(rs -> {
            attempts.computeIfAbsent(rs.getLong("job_id"), id -> new ArrayList<>())
                    .add(new Attempt(
                            rs.getString("job_state"),
                            rs.getInt("attempt"),
                            rs.getTimestamp("exec_time").toInstant(),
                            rs.getString("error_code"),
                            Json.mapper().readTree(rs.getString("error_response"))));
        });
        Map<Long, Long> replayOf = new LinkedHashMap<>();
        jdbc.sql(REPLAYS).param("jobIds", ids).query(rs -> {
            replayOf.put(rs.getLong("new_job_id"), rs.getLong("original_job_id"));
        });
        List<Delivery> deliveries = new ArrayList<>();
        for (Row row : rows) {
            String destinationId = row.parameters().path("destination_id").asString("");
            SecretMask mask = maskFor(destinationId);
            List<Attempt> history = attempts.getOrDefault(row.jobId(), List.of());
            Request request = null;
            String requestError = null;
            try {
                request = view(DeliveryRequest.parse(row.payload()), mask);
            } catch (RuntimeException e) {
                requestError = "the stored payload is not a request: " + e.getMessage();
            }
            deliveries.add(new Delivery(
                    row.jobId(),
                    destinationId,
                    row.type(),
                    row.createdAt(),
                    replayOf.get(row.jobId()),
                    request,
                    requestError,
                    history.stream().map(a -> masked(a, mask)).toList(),
                    history.isEmpty() ? "pending" : history.getLast().state()));
        }
        return deliveries;
    }

    private SecretMask maskFor(String destinationId) {
        return config.current()
                .destinationById(destinationId)
                .map(TraceController::secretsOf)
                .map(SecretMask::new)
                .orElseGet(() -> new SecretMask(List.of()));
    }

    private static List<String> secretsOf(Destination d) {
        Object keys = d.destinationDefinition().config().other().get("secretKeys");
        List<String> paths = new ArrayList<>();
        if (keys instanceof List<?> list) for (Object k : list) if (k instanceof String s) paths.add(s);
        return SecretMask.secretValues(d.config(), paths);
    }

    private static Request view(DeliveryRequest r, SecretMask mask) {
        String body = null;
        if (r.body() != null) {
            body = "GZIP".equals(r.bodyType()) || r.headers().containsKey("Content-Encoding")
                    ? "(" + r.body().length + " bytes, compressed)"
                    : mask.text(new String(r.body(), StandardCharsets.UTF_8));
        }
        return new Request(r.method(), mask.url(r.uri()), mask.headers(r.headers()), body, r.bodyType());
    }

    private static Attempt masked(Attempt a, SecretMask mask) {
        // a destination may echo the request (and so a key) in its answer
        JsonNode response = Json.mapper().readTree(mask.text(Json.writeString(a.response())));
        return new Attempt(a.state(), a.attempt(), a.at(), a.code(), response);
    }
}
