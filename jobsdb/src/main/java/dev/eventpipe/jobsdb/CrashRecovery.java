package dev.eventpipe.jobsdb;

import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Puts jobs that a crashed process left {@code executing} back in play, as RudderStack does at start: gateway jobs
 * become unprocessed again (their executing rows are deleted, the one exception to append-only, and only at
 * start), router jobs become {@code failed} with their attempt count kept, so they are retried with the usual
 * rules. The retry window goes on from the first attempt: the executing row's {@code first_attempted_at} when it
 * has one (a retry), else its {@code exec_time}, when the attempt the process died in (the first) began; that
 * attempt is counted as made, so it has a start (review P3-9: the window restarted after a crash in a first
 * attempt). Call it only for partitions this process owns, before it starts picking jobs.
 */
public final class CrashRecovery {
    /**
     * The {@code error_code} of the {@code failed} row recovery writes: the job may or may not have been sent, and
     * no destination answered it (a router sends such jobs of one user together, not one per round trip).
     */
    public static final String RECOVERED_CODE = "recovered";

    // The jobs table is named first: every jobsdb statement locks jobs before statuses, the order in which
    // jobsdb_allocate creates a dataset, so the two never deadlock. %1$s jobs, %2$s statuses, %3$s the filter,
    // %4$s RECOVERED_CODE.
    // Driven by the executing rows, each kept only if no later row of its job exists (the (job_id, id) index), never
    // by a latest-status probe per job: a dataset's jobs are mostly finished, and probing all of them (800,000 gw
    // jobs in the storage soak of 2026-11-30) took minutes, past the socket timeout, so a processor that regained
    // its partitions under a backlog retried its recovery every round and never worked again.
    private static final String LATEST_EXECUTING = """
            SELECT ls.id, j.job_id, ls.attempt, ls.error_response,
                   coalesce(ls.first_attempted_at, ls.exec_time) AS first_attempted_at,
                   ls.first_attempted_at IS NULL AS first_attempt
            FROM %1$s j
            JOIN %2$s ls ON ls.job_id = j.job_id
            WHERE ls.job_state = 'executing'
              AND NOT EXISTS (SELECT 1 FROM %2$s n WHERE n.job_id = ls.job_id AND n.id > ls.id) %3$s""";
    private static final String RESET = "DELETE FROM %2$s WHERE id IN (SELECT id FROM (" + LATEST_EXECUTING + ") e)";
    // the document gets RudderStack's firstAttemptedAt key too when the executing row had none (a first attempt),
    // for people reading the failed row; nothing parses it (the column is what the router reads)
    private static final String FAIL = """
            INSERT INTO %2$s (job_id, job_state, attempt, error_code, error_response, first_attempted_at)
            SELECT e.job_id, 'failed', e.attempt, '%4$s',
                   e.error_response
                   || CASE WHEN e.first_attempt
                           THEN jsonb_build_object('firstAttemptedAt',
                                    to_char(e.first_attempted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
                           ELSE '{}'::jsonb END
                   || '{"reason":"process stopped while the job was executing"}',
                   e.first_attempted_at
            FROM (""" + LATEST_EXECUTING + ") e";

    private final JdbcClient jdbc;

    CrashRecovery(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** gw rule: executing jobs become unprocessed. Returns how many. */
    public int resetExecuting(Queue queue, Set<Integer> partitions) {
        return run(RESET, queue, partitions);
    }

    /** rt rule: executing jobs become failed, retryable now. Returns how many. */
    public int failExecuting(Queue queue, Set<Integer> partitions) {
        return run(FAIL, queue, partitions);
    }

    private int run(String template, Queue queue, Set<Integer> partitions) {
        String filter = partitions.isEmpty() ? "" : "AND j.partition_id IN (:partitions)";
        var spec = jdbc.sql(template.formatted(queue.jobsTable(), queue.statusTable(), filter, RECOVERED_CODE));
        if (!partitions.isEmpty()) spec = spec.param("partitions", partitions);
        return spec.update();
    }
}
