package dev.eventpipe.jobsdb;

import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Puts jobs that a crashed process left {@code executing} back in play, as RudderStack does at start: gateway jobs
 * become unprocessed again (their executing rows are deleted, the one exception to append-only, and only at
 * start), router jobs become {@code failed} with their attempt count kept, so they are retried with the usual
 * rules (what the executing row recorded, such as the first attempt time, is kept: the retry window goes on
 * from it). Call it only for partitions this process owns, before it starts picking jobs.
 */
public final class CrashRecovery {
    // The jobs table is named first: every jobsdb statement locks jobs before statuses, the order in which
    // jobsdb_allocate creates a dataset, so the two never deadlock. %1$s jobs, %2$s statuses, %3$s the filter.
    private static final String LATEST_EXECUTING = "SELECT ls.id, j.job_id, ls.attempt, ls.error_response,"
            + " ls.first_attempted_at FROM %1$s j\n" + PostgresJobsDb.LATEST_STATUS
            + "WHERE ls.job_state = 'executing' %3$s";
    private static final String RESET = "DELETE FROM %2$s WHERE id IN (SELECT id FROM (" + LATEST_EXECUTING + ") e)";
    private static final String FAIL = """
            INSERT INTO %2$s (job_id, job_state, attempt, error_code, error_response, first_attempted_at)
            SELECT e.job_id, 'failed', e.attempt, '',
                   e.error_response || '{"reason":"process stopped while the job was executing"}', e.first_attempted_at
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
        var spec = jdbc.sql(template.formatted(queue.jobsTable(), queue.statusTable(), filter));
        if (!partitions.isEmpty()) spec = spec.param("partitions", partitions);
        return spec.update();
    }
}
