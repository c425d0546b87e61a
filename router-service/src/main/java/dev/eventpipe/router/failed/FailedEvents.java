package dev.eventpipe.router.failed;

import dev.eventpipe.model.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
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
 * Reads failed and aborted rt jobs for the web app. Candidates come from the status table's partial index on
 * failed/aborted rows; the latest status of each decides whether it is listed. Newest jobs first.
 */
@Component
class FailedEvents {
    private static final String LIST = """
            SELECT j.job_id, j.workspace_id, j.user_id, j.custom_val, j.parameters::text AS parameters, j.created_at,
                   ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
                   ls.error_response::text AS error_response,
                   (SELECT count(*) FROM router_replays r WHERE r.original_job_id = j.job_id) AS replays,
                   count(*) OVER () AS total
            FROM rt_jobs j
            JOIN LATERAL (
                SELECT s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response
                FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
            WHERE j.job_id IN (SELECT c.job_id FROM rt_job_status c WHERE c.job_state IN ('failed', 'aborted'))
              AND ls.job_state IN (:states)
              %s
            ORDER BY j.job_id DESC
            LIMIT :limit OFFSET :offset""";
    private static final String JOB = """
            SELECT j.job_id, j.workspace_id, j.user_id, j.custom_val, j.parameters::text AS parameters, j.created_at,
                   j.event_payload
            FROM rt_jobs j WHERE j.job_id = :jobId""";
    private static final String ATTEMPTS = """
            SELECT job_state, attempt, exec_time, retry_time, error_code, error_response::text AS error_response
            FROM rt_job_status WHERE job_id = :jobId ORDER BY id""";
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
            where.append(" AND j.workspace_id = :workspaceId");
            params.put("workspaceId", f.workspaceId());
        }
        if (f.destinationId() != null) {
            where.append(" AND j.parameters->>'destination_id' = :destinationId");
            params.put("destinationId", f.destinationId());
        }
        if (f.statusCode() != null) {
            where.append(" AND ls.error_code = :statusCode");
            params.put("statusCode", f.statusCode());
        }
        if (f.from() != null) {
            where.append(" AND ls.exec_time >= :from");
            params.put("from", Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            where.append(" AND ls.exec_time < :to");
            params.put("to", Timestamp.from(f.to()));
        }
        if (f.userId() != null) {
            where.append(" AND j.user_id = :userId");
            params.put("userId", f.userId());
        }
        if (f.q() != null) {
            where.append(" AND ls.error_response::text ILIKE :q ESCAPE '\\'");
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
                    return m;
                })
                .optional();
        job.ifPresent(m -> {
            List<Map<String, Object>> attempts = jdbc.sql(ATTEMPTS)
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

    List<Long> existing(List<Long> ids) {
        if (ids.isEmpty()) return new ArrayList<>();
        return jdbc.sql("SELECT job_id FROM rt_jobs WHERE job_id IN (:ids) ORDER BY job_id")
                .param("ids", ids)
                .query(Long.class)
                .list();
    }
}
