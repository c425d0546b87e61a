package dev.eventpipe.router.failed;

import dev.eventpipe.jobsdb.FailedJob;
import dev.eventpipe.jobsdb.FailedJobFilter;
import dev.eventpipe.jobsdb.FailedJobPage;
import dev.eventpipe.jobsdb.JobReads;
import dev.eventpipe.jobsdb.JobStatus;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.json.Json;
import java.time.Instant;
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
 * Failed and aborted rt jobs for the web app, as jobsdb reads them ({@link JobReads#failed}, {@link
 * JobReads#history}): from the queue and from the aborted jobs jobsdb keeps after their dataset is gone. Newest jobs
 * first. The replays of each job come from the router's own {@code router_replays}.
 */
@Component
class FailedEvents {
    private static final String REPLAY_COUNTS = """
            SELECT original_job_id, count(*) AS replays FROM router_replays
            WHERE original_job_id IN (:jobIds) GROUP BY original_job_id""";
    private static final String REPLAYS = """
            SELECT new_job_id, replayed_at FROM router_replays WHERE original_job_id = :jobId ORDER BY new_job_id""";

    private final JdbcClient jdbc;
    private final JobReads reads;

    FailedEvents(DataSource dataSource, JobsDbs jobsDbs) {
        this.jdbc = JdbcClient.create(dataSource);
        this.reads = jobsDbs.reads();
    }

    /** {@code {"total", "limit", "offset", "items": [...]}} */
    Map<String, Object> list(FailedJobFilter f) {
        FailedJobPage found = reads.failed(Queue.RT, f);
        Map<Long, Long> replays = new LinkedHashMap<>();
        if (!found.items().isEmpty())
            jdbc.sql(REPLAY_COUNTS)
                    .param(
                            "jobIds",
                            found.items().stream().map(FailedJob::jobId).toList())
                    .query(rs -> {
                        replays.put(rs.getLong("original_job_id"), rs.getLong("replays"));
                    });
        List<Map<String, Object>> items = found.items().stream()
                .map(job -> {
                    JobStatus status = job.lastStatus();
                    Map<String, Object> item = summary(
                            job.jobId(),
                            job.workspaceId(),
                            job.userId(),
                            job.customVal(),
                            job.parameters(),
                            job.createdAt());
                    item.put("state", status.state().dbName());
                    item.put("attempt", status.attempt());
                    item.put("errorCode", status.errorCode());
                    item.put("errorResponse", json(status.errorResponse()));
                    item.put("lastAttemptAt", instant(status.execTime()));
                    item.put("retryAt", instant(status.retryTime()));
                    item.put("replayCount", replays.getOrDefault(job.jobId(), 0L));
                    item.put("retained", job.retained());
                    return item;
                })
                .toList();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("total", found.total());
        page.put("limit", f.limit());
        page.put("offset", f.offset());
        page.put("items", items);
        return page;
    }

    /** The job with its payload, every status row in order, and its replays; empty when there is no such job. */
    Optional<Map<String, Object>> detail(long jobId) {
        return reads.history(Queue.RT, jobId).map(h -> {
            var job = h.job();
            Map<String, Object> m = summary(
                    job.jobId(), job.workspaceId(), job.userId(), job.customVal(), job.parameters(), job.createdAt());
            m.put("parameters", json(job.parameters()));
            m.put("payload", json(job.payload()));
            m.put("retained", h.retained());
            List<Map<String, Object>> attempts =
                    h.statuses().stream().map(FailedEvents::attempt).toList();
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
                                var at = rs.getTimestamp("replayed_at");
                                r.put(
                                        "replayedAt",
                                        at == null ? null : at.toInstant().toString());
                                return r;
                            })
                            .list());
            return m;
        });
    }

    private static Map<String, Object> attempt(JobStatus s) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("state", s.state().dbName());
        a.put("attempt", s.attempt());
        a.put("execTime", instant(s.execTime()));
        a.put("retryTime", instant(s.retryTime()));
        a.put("errorCode", s.errorCode());
        a.put("errorResponse", json(s.errorResponse()));
        return a;
    }

    private static Map<String, Object> summary(
            long jobId, String workspaceId, String userId, String customVal, String parameters, Instant createdAt) {
        JsonNode params = Json.mapper().readTree(parameters);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobId", jobId);
        m.put("workspaceId", workspaceId);
        m.put("userId", userId);
        m.put("destinationId", params.path("destination_id").asString(""));
        m.put("destinationType", customVal);
        m.put("sourceId", params.path("source_id").asString(""));
        m.put("messageId", params.path("message_id").asString(""));
        m.put("eventName", params.path("event_name").asString(""));
        m.put("eventType", params.path("event_type").asString(""));
        m.put("createdAt", instant(createdAt));
        JsonNode from = params.path("replayed_from");
        m.put("replayedFrom", from.isNumber() ? from.asLong() : null);
        return m;
    }

    private static @Nullable String instant(@Nullable Instant t) {
        return t == null ? null : t.toString();
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
