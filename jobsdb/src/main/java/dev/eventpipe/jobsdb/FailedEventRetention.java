package dev.eventpipe.jobsdb;

import dev.eventpipe.jobsdb.Datasets.Dataset;
import java.sql.Timestamp;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keeps aborted jobs after their dataset is gone (review P1-5). Before maintenance drops a dataset, or compacts
 * away its terminal jobs, the aborted ones are copied with every status row they have into
 * {@code rt_failed_events} (with the aborted status's attempt, code and response beside the job, V10) and
 * {@code rt_failed_event_statuses} (V8 migration); the router's failed-events API
 * reads them there once the dataset is gone. A copied row keeps its ids, so copying a job again (a pass that
 * failed after the copy and runs again) inserts nothing. Rows are deleted {@code failedRetention} after the job
 * was aborted.
 *
 * <p>Aborted is terminal: no status row is ever written after it, so the copy is complete the moment it is made,
 * and a job seen aborted by a statement is aborted for every later one.
 */
final class FailedEventRetention {
    /**
     * Copies the aborted jobs of one dataset (jobs table %1$s, status table %2$s) into %3$s / %4$s, except those
     * in %5$s (a compaction's copy, which keeps them live). Aborted jobs are found through the status table's
     * partial index on failed/waiting/aborted rows.
     */
    private static final String RETAIN = """
            WITH aborted AS (
                SELECT j.*, a.exec_time AS aborted_at, a.attempt, a.retry_time, a.error_code, a.error_response,
                       a.first_attempted_at
                FROM %1$s j
                JOIN (SELECT DISTINCT ON (s.job_id) s.job_id, s.exec_time, s.attempt, s.retry_time, s.error_code,
                             s.error_response, s.first_attempted_at FROM %2$s s
                      WHERE s.job_state = 'aborted' ORDER BY s.job_id, s.id DESC) a ON a.job_id = j.job_id
                %5$s
            ), kept AS (
                INSERT INTO %3$s (job_id, workspace_id, uuid, user_id, partition_id, parameters, custom_val,
                                  event_payload, event_count, payload_size, created_at, expire_at, aborted_at,
                                  attempt, retry_time, error_code, error_response, first_attempted_at)
                SELECT job_id, workspace_id, uuid, user_id, partition_id, parameters, custom_val,
                       event_payload, event_count, payload_size, created_at, expire_at, aborted_at,
                       attempt, retry_time, error_code, error_response, first_attempted_at FROM aborted
                ON CONFLICT (job_id) DO NOTHING
                RETURNING job_id
            )
            INSERT INTO %4$s (id, job_id, job_state, attempt, exec_time, retry_time, error_code, error_response,
                              parameters, first_attempted_at, blocking_job_id)
            SELECT s.id, s.job_id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
                   s.parameters, s.first_attempted_at, s.blocking_job_id
            FROM %2$s s WHERE s.job_id IN (SELECT job_id FROM kept)
            ON CONFLICT (id) DO NOTHING""";

    private static final String NOT_COPIED = "WHERE NOT EXISTS (SELECT 1 FROM %s c WHERE c.job_id = j.job_id)";
    /** Deletes at most this many expired jobs per pass, so one pass never holds a long transaction. */
    static final int SWEEP_BATCH = 10_000;

    private final JdbcClient jdbc;

    FailedEventRetention(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Copies the dataset's aborted jobs (but those in {@code keptLive}, a table of jobs that stay in the queue)
     * with their statuses, in the caller's transaction; returns the status rows copied. A queue that keeps no
     * aborted jobs copies nothing.
     */
    int retain(Queue queue, Dataset d, @Nullable String keptLive) {
        if (!queue.retainsAborted()) return 0;
        return jdbc.sql(RETAIN.formatted(
                        queue.jobsTable() + "_" + d.idx(),
                        queue.statusTable() + "_" + d.idx(),
                        queue.failedEventsTable(),
                        queue.failedStatusesTable(),
                        keptLive == null ? "" : NOT_COPIED.formatted(keptLive)))
                .update();
    }

    /** Deletes kept jobs aborted before {@code cutoff} (with their statuses); returns how many. */
    int sweep(Instant cutoff) {
        int deleted = 0;
        for (Queue queue : Queue.values()) {
            if (!queue.retainsAborted()) continue;
            deleted += jdbc.sql("""
                            DELETE FROM %1$s WHERE job_id IN (
                                SELECT job_id FROM %1$s WHERE aborted_at < :cutoff LIMIT %2$d)""".formatted(queue.failedEventsTable(), SWEEP_BATCH))
                    .param("cutoff", Timestamp.from(cutoff))
                    .update();
        }
        return deleted;
    }
}
