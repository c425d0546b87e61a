package dev.eventpipe.router.pickup;

import dev.eventpipe.router.ordering.OrderKey;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The stored half of the barrier: for each user (and destination) with unresolved earlier jobs, the first of them,
 * {@code failed} or {@code waiting}. The pickup holds a user's later jobs unless it has seen that first job in the
 * same pickup: a failed job in backoff is never returned by the queue's fetch, and a waiting one may lie beyond
 * the fetched pages, yet either must stay ahead of its user's later jobs. Walks only latest-status failed/waiting
 * rows through the status table's partial index.
 *
 * <p>The jobs table is named before the status table on purpose: a writer opening a new dataset locks them in that
 * order (jobs partition, then status partition), and a reader locking them the other way round deadlocks with it.
 */
final class BlockedKeys {
    private static final String FIRST_PENDING = """
            SELECT DISTINCT ON (1, 2, 3)
                   j.workspace_id, coalesce(j.parameters->>'destination_id', '') AS destination_id, j.user_id,
                   j.job_id, (s.job_state = 'failed' AND s.retry_time > :now) AS in_backoff
            FROM rt_jobs j
            JOIN rt_job_status s ON s.job_id = j.job_id
            WHERE s.job_state IN ('failed', 'waiting')
              AND j.partition_id IN (:partitions)
              AND NOT EXISTS (SELECT 1 FROM rt_job_status n WHERE n.job_id = s.job_id AND n.id > s.id)
            ORDER BY 1, 2, 3, j.job_id""";

    /** The first unresolved job of a key; {@code inBackoff} when it is a failed job whose retry time is ahead. */
    record Pending(long jobId, boolean inBackoff) {}

    private final JdbcClient jdbc;

    BlockedKeys(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    Map<OrderKey, Pending> firstPending(Set<Integer> partitions, Instant now) {
        Map<OrderKey, Pending> pending = new HashMap<>();
        if (partitions.isEmpty()) return pending;
        jdbc.sql(FIRST_PENDING)
                .param("now", Timestamp.from(now))
                .param("partitions", partitions)
                .query(rs -> {
                    pending.put(
                            new OrderKey(
                                    rs.getString("workspace_id"),
                                    rs.getString("destination_id"),
                                    rs.getString("user_id")),
                            new Pending(rs.getLong("job_id"), rs.getBoolean("in_backoff")));
                });
        return pending;
    }
}
