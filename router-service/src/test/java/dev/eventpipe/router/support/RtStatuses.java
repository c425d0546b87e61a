package dev.eventpipe.router.support;

import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads the status rows of rt jobs, for assertions. */
public final class RtStatuses {
    public record Row(
            String state,
            int attempt,
            String code,
            String response,
            Instant execTime,
            Instant retryTime,
            @Nullable Instant firstAttemptedAt,
            @Nullable Long blockingJobId) {}

    private final JdbcClient jdbc;

    public RtStatuses(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public List<Row> of(long jobId) {
        return jdbc.sql("""
                        SELECT job_state, attempt, error_code, error_response::text AS r, exec_time, retry_time,
                               first_attempted_at, blocking_job_id
                        FROM rt_job_status WHERE job_id = :id ORDER BY id""")
                .param("id", jobId)
                .query((rs, n) -> new Row(
                        rs.getString(1),
                        rs.getInt(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getTimestamp(5).toInstant(),
                        rs.getTimestamp(6).toInstant(),
                        rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant(),
                        rs.getObject(8, Long.class)))
                .list();
    }

    public String latest(long jobId) {
        List<Row> rows = of(jobId);
        return rows.isEmpty() ? "unprocessed" : rows.getLast().state();
    }

    public List<String> states(long jobId) {
        return of(jobId).stream().map(r -> r.state() + ":" + r.attempt()).toList();
    }

    /** How many of the given jobs have reached {@code state} as their latest status. */
    public long countLatest(List<Long> jobIds, String state) {
        return jdbc.sql("""
                        SELECT count(*) FROM (
                            SELECT DISTINCT ON (job_id) job_id, job_state FROM rt_job_status
                            WHERE job_id IN (:ids) ORDER BY job_id, id DESC) l
                        WHERE l.job_state = :state""")
                .param("ids", jobIds)
                .param("state", state)
                .query(Long.class)
                .single();
    }
}
