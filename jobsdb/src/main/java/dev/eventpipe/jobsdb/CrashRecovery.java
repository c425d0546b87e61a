package dev.eventpipe.jobsdb;

import java.util.List;
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
    // by a latest-status probe per job: probing every job of a dataset (800,000 gw jobs in the storage soak of
    // 2026-11-30) took minutes, past the socket timeout, so a processor that regained its partitions under a backlog
    // retried its recovery every round and never worked again. And run per dataset, only over the ids from the
    // lowest one maintenance has not found terminal (jobsdb_datasets.terminal_below, V15): terminal is final, so no
    // job below it can be executing (review 0805 P3-3: every executing row ever written to the live datasets was
    // read, one per job and attempt). Every table is bounded by the range, so PostgreSQL reads only that dataset's
    // partitions, from that id. What is left is linear in the status rows of the jobs at or above it: of the whole
    // open dataset (maintenance does not look at it), and of each closed one from its first unfinished job (with a
    // destination down, its jobs keep every dataset unfinished from the start: jobsdb README, "Crash recovery").
    private static final String RANGES = """
            SELECT coalesce(terminal_below, min_job_id) AS lo, max_job_id AS hi FROM jobsdb_datasets
            WHERE queue = :queue AND coalesce(terminal_below, min_job_id) < max_job_id
            ORDER BY idx""";
    private static final String LATEST_EXECUTING = """
            SELECT ls.id, j.job_id, ls.attempt, ls.error_response,
                   coalesce(ls.first_attempted_at, ls.exec_time) AS first_attempted_at,
                   ls.first_attempted_at IS NULL AS first_attempt
            FROM %1$s j
            JOIN %2$s ls ON ls.job_id = j.job_id
            WHERE j.job_id >= :lo AND j.job_id < :hi AND ls.job_id >= :lo AND ls.job_id < :hi
              AND ls.job_state = 'executing'
              AND NOT EXISTS (SELECT 1 FROM %2$s n
                              WHERE n.job_id = ls.job_id AND n.id > ls.id AND n.job_id >= :lo AND n.job_id < :hi) %3$s""";
    // by (job_id, id), so each row is found through the (job_id, id) index of its dataset's partition: the status
    // table has no index on id alone
    private static final String RESET = """
            DELETE FROM %2$s d USING (""" + LATEST_EXECUTING + """
            ) e
            WHERE d.job_id = e.job_id AND d.id = e.id AND d.job_id >= :lo AND d.job_id < :hi""";
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
        String sql = template.formatted(queue.jobsTable(), queue.statusTable(), filter, RECOVERED_CODE);
        List<Range> ranges = jdbc.sql(RANGES)
                .param("queue", queue.prefix())
                .query((rs, n) -> new Range(rs.getLong("lo"), rs.getLong("hi")))
                .list();
        int recovered = 0;
        for (Range range : ranges) {
            var spec = jdbc.sql(sql).param("lo", range.lo()).param("hi", range.hi());
            if (!partitions.isEmpty()) spec = spec.param("partitions", partitions);
            recovered += spec.update();
        }
        return recovered;
    }

    private record Range(long lo, long hi) {}
}
