package dev.eventpipe.router.failed;

import dev.eventpipe.model.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Reads failed and aborted rt jobs for the web app, from the queue and from the aborted jobs jobsdb keeps after their
 * dataset is gone. Candidates in the queue come from the status table's partial index on failed/aborted rows; the
 * latest status of each decides whether it is listed. Newest jobs first.
 */
@Component
class FailedEvents {
    /**
     * Failed and aborted jobs still in the queue, and aborted jobs kept after their dataset was dropped or compacted
     * ({@code rt_failed_events}, jobsdb's V8 migration, review P1-5). A job may be in both for a moment (kept by a
     * compaction whose swap has not happened yet); it is taken from the kept copy only, which holds the same rows
     * (aborted is terminal, nothing is written after it).
     */
    private static final String LIST = """
            SELECT e.*,
                   (SELECT count(*) FROM router_replays r WHERE r.original_job_id = e.job_id) AS replays,
                   count(*) OVER () AS total
            FROM (
                SELECT j.job_id, j.workspace_id, j.user_id, j.custom_val, j.parameters, j.created_at, false AS retained,
                       ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code, ls.error_response
                FROM rt_jobs j
                JOIN LATERAL (
                    SELECT s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response
                    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
                WHERE j.job_id IN (SELECT c.job_id FROM rt_job_status c WHERE c.job_state IN ('failed', 'aborted'))
                  AND NOT EXISTS (SELECT 1 FROM rt_failed_events k WHERE k.job_id = j.job_id)
                UNION ALL
                -- a kept job's latest status is its aborted one, kept beside it (jobsdb V10)
                SELECT k.job_id, k.workspace_id, k.user_id, k.custom_val, k.parameters, k.created_at, true AS retained,
                       'aborted' AS job_state, k.attempt, k.aborted_at AS exec_time, k.retry_time, k.error_code,
                       k.error_response
                FROM rt_failed_events k
            ) e
            WHERE e.job_state IN (:states)
              %s
            ORDER BY e.job_id DESC
            LIMIT :limit OFFSET :offset""";
    /** The kept copy first, as in the list. */
    private static final String JOB = """
            SELECT k.job_id, k.workspace_id, k.user_id, k.custom_val, k.parameters::text AS parameters, k.created_at,
                   k.event_payload, true AS retained
            FROM rt_failed_events k WHERE k.job_id = :jobId
            UNION ALL
            SELECT j.job_id, j.workspace_id, j.user_id, j.custom_val, j.parameters::text AS parameters, j.created_at,
                   j.event_payload, false AS retained
            FROM rt_jobs j WHERE j.job_id = :jobId
              AND NOT EXISTS (SELECT 1 FROM rt_failed_events k WHERE k.job_id = j.job_id)""";

    private static final String ATTEMPTS = """
            SELECT job_state, attempt, exec_time, retry_time, error_code, error_response::text AS error_response
            FROM %s WHERE job_id = :jobId ORDER BY id""";
    private static final String REPLAYS = """
            SELECT new_job_id, replayed_at FROM router_replays WHERE original_job_id = :jobId ORDER BY new_job_id""";

    private final JdbcClient jdbc;

    FailedEvents(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** {@code {"total", "limit", "offset", "items": [...]}} */
    Map<String, Object> list(FailedEventFilter f) {
        StringBuilder where = new StringBuilder();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("states", f.states());
        params.put("limit", f.limit());
        params.put("offset", f.offset());
        if (f.workspaceId() != null) {
            where.append(" AND e.workspace_id = :workspaceId");
            params.put("workspaceId", f.workspaceId());
        }
        if (f.destinationId() != null) {
            where.append(" AND e.parameters->>'destination_id' = :destinationId");
            params.put("destinationId", f.destinationId());
        }
        if (f.statusCode() != null) {
            where.append(" AND e.error_code = :statusCode");
            params.put("statusCode", f.statusCode());
        }
        if (f.from() != null) {
            where.append(" AND e.exec_time >= :from");
            params.put("from", Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            where.append(" AND e.exec_time < :to");
            params.put("to", Timestamp.from(f.to()));
        }
        if (f.userId() != null) {
            where.append(" AND e.user_id = :userId");
            params.put("userId", f.userId());
        }
        if (f.q() != null) {
            where.append(" AND e.error_response::text ILIKE :q ESCAPE '\\'");
            params.put(
                    "q", "%" + f.q().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        long[] total = {0};
        List<Map<String, Object>> items = jdbc.sql(LIST.formatted(where))
                .params(params)
                .query((rs, n) -> {
                    total[0] = rs.getLong("total");
                    Map<String, Object> item = summary(rs);
                    item.put("state", rs.getString("job_state"));
                    item.put("attempt", rs.getInt("attempt"));
                    item.put("errorCode", rs.getString("error_code"));
                    item.put("errorResponse", json(rs.getString("error_response")));
                    item.put("lastAttemptAt", instant(rs, "exec_time"));
                    item.put("retryAt", instant(rs, "retry_time"));
                    item.put("replayCount", rs.getLong("replays"));
                    item.put("retained", rs.getBoolean("retained"));
                    return item;
                })
                .list();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("total", total[0]);
        page.put("limit", f.limit());
        page.put("offset", f.offset());
        page.put("items", items);
        return page;
    }

    /** The job with its payload, every status row in order, and its replays; empty when there is no such job. */
    Optional<Map<String, Object>> detail(long jobId) {
        Optional<Map<String, Object>> job = jdbc.sql(JOB)
                .param("jobId", jobId)
                .query((rs, n) -> {
                    Map<String, Object> m = summary(rs);
                    m.put("parameters", json(rs.getString("parameters")));
                    m.put("payload", json(rs.getString("event_payload")));
                    m.put("retained", rs.getBoolean("retained"));
                    return m;
                })
                .optional();
        job.ifPresent(m -> {
            String statuses = Boolean.TRUE.equals(m.get("retained")) ? "rt_failed_event_statuses" : "rt_job_status";
            List<Map<String, Object>> attempts = jdbc.sql(ATTEMPTS.formatted(statuses))
                    .param("jobId", jobId)
                    .query((rs, n) -> {
                        Map<String, Object> a = new LinkedHashMap<>();
                        a.put("state", rs.getString("job_state"));
                        a.put("attempt", rs.getInt("attempt"));
                        a.put("execTime", instant(rs, "exec_time"));
                        a.put("retryTime", instant(rs, "retry_time"));
                        a.put("errorCode", rs.getString("error_code"));
                        a.put("errorResponse", json(rs.getString("error_response")));
                        return a;
                    })
                    .list();
            m.put(
                    "state",
                    attempts.isEmpty() ? "unprocessed" : attempts.getLast().get("state"));
            m.put("attempts", attempts);
            m.put(
                    "replays",
                    jdbc.sql(REPLAYS)
                            .param("jobId", jobId)
                            .query((rs, n) -> {
                                Map<String, Object> r = new LinkedHashMap<>();
                                r.put("newJobId", rs.getLong("new_job_id"));
                                r.put("replayedAt", instant(rs, "replayed_at"));
                                return r;
                            })
                            .list());
        });
        return job;
    }

    private static Map<String, Object> summary(ResultSet rs) throws SQLException {
        JsonNode params = Json.mapper().readTree(rs.getString("parameters"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobId", rs.getLong("job_id"));
        m.put("workspaceId", rs.getString("workspace_id"));
        m.put("userId", rs.getString("user_id"));
        m.put("destinationId", params.path("destination_id").asString(""));
        m.put("destinationType", rs.getString("custom_val"));
        m.put("sourceId", params.path("source_id").asString(""));
        m.put("messageId", params.path("message_id").asString(""));
        m.put("eventName", params.path("event_name").asString(""));
        m.put("eventType", params.path("event_type").asString(""));
        m.put("createdAt", instant(rs, "created_at"));
        JsonNode from = params.path("replayed_from");
        m.put("replayedFrom", from.isNumber() ? from.asLong() : null);
        return m;
    }

    private static @Nullable String instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant().toString();
    }

    private static Object json(@Nullable String text) {
        if (text == null) return Map.of();
        try {
            return Json.mapper().readTree(text);
        } catch (RuntimeException e) {
            return text;
        }
    }
}
