package dev.eventpipe.jobsdb;

import dev.eventpipe.jobsdb.Datasets.Dataset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Compacts a closed dataset whose jobs are mostly terminal: its live jobs, with their latest status, are copied
 * into a new pair of tables for the same job-id range, which then replace the old pair. So one job retried for
 * days pins its own row, not the 100,000 it arrived with.
 *
 * <p>Job ids do not change, so every ordering promise holds as before: a copied job sits exactly where it was in
 * id order (below every later job of its user), readers paging by job id see the same sequence, and nothing has
 * to be re-numbered. Copying to the newest dataset instead would put a user's old pending job after that user's
 * newer jobs.
 *
 * <p>Two steps. The copy runs without locking the queue: live jobs (judged by their latest status) and that
 * status. The swap is one short transaction that takes the queue's two parent tables exclusively (waiting at most
 * {@code ddlLockTimeout}, else it gives up until the next pass): it copies the status rows written to the copied
 * jobs since the copy (each job's status writes are sequential, so "ids above the last copied one" is exactly what
 * is new), detaches and drops the old tables and attaches the new ones under the old names. A job found terminal
 * in the copy is terminal for good, and the dataset is closed, so no other row can appear. The copy step also
 * keeps the aborted jobs it leaves behind, with all their statuses ({@link FailedEventRetention}).
 */
final class Compaction {
    /** What a compaction check found and did. */
    record Outcome(boolean compacted, long liveJobs, long rowsBefore) {}

    private static final String LIVE =
            "ls.job_state IS NULL OR ls.job_state NOT IN ('succeeded', 'aborted', 'filtered')";
    private static final String LATEST_STATE = "LEFT " + PostgresJobsDb.LATEST_STATUS;
    private static final String COUNT =
            "SELECT count(*) AS jobs, count(*) FILTER (WHERE " + LIVE + ") AS live FROM %1$s j " + LATEST_STATE;
    private static final String COPY_JOBS =
            "INSERT INTO %3$s SELECT j.* FROM %1$s j " + LATEST_STATE + " WHERE " + LIVE + " ORDER BY j.job_id";
    // the whole latest row (every column), so not the LATEST_STATUS fragment's selection
    private static final String COPY_LATEST_STATUS = """
            INSERT INTO %4$s SELECT s.* FROM %3$s j
            JOIN LATERAL (SELECT * FROM %2$s s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) s ON true""";
    private static final String COPY_NEW_STATUS = """
            INSERT INTO %4$s SELECT s.* FROM %3$s j
            JOIN LATERAL (SELECT * FROM %2$s s WHERE s.job_id = j.job_id
                          AND s.id > coalesce((SELECT max(c.id) FROM %4$s c WHERE c.job_id = j.job_id), 0)) s ON true""";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Datasets datasets;
    private final JobsDbSettings settings;
    private final FailedEventRetention retention;

    Compaction(
            JdbcClient jdbc,
            TransactionTemplate tx,
            Datasets datasets,
            JobsDbSettings settings,
            FailedEventRetention retention) {
        this.retention = retention;
        this.jdbc = jdbc;
        this.tx = tx;
        this.datasets = datasets;
        this.settings = settings;
    }

    /** Counts the dataset's live jobs and compacts it when that reclaims enough. Writers must be done with it. */
    Outcome compactIfWorthIt(Queue queue, Dataset d) {
        Names n = new Names(queue, d);
        var counts = jdbc.sql(n.format(COUNT)).query().singleRow();
        long jobs = ((Number) counts.get("jobs")).longValue();
        long live = ((Number) counts.get("live")).longValue();
        long statuses =
                jdbc.sql("SELECT count(*) FROM " + n.status).query(Long.class).single();
        long reclaimed = (jobs - live) + Math.max(0, statuses - live);
        boolean mostlyDone = live < settings.compactionLiveShare() * jobs;
        boolean manyStatuses = statuses > settings.compactionStatusRatio() * jobs;
        if (reclaimed < settings.compactionMinReclaimRows() || !(mostlyDone || manyStatuses))
            return new Outcome(false, live, jobs + statuses);
        compact(n, d);
        return new Outcome(true, live, jobs + statuses);
    }

    private void compact(Names n, Dataset d) {
        try {
            tx.executeWithoutResult(status -> {
                jdbc.sql("DROP TABLE IF EXISTS " + n.newJobs + ", " + n.newStatus)
                        .update();
                jdbc.sql("CREATE TABLE " + n.newJobs + " (LIKE " + n.queue.jobsTable() + " INCLUDING ALL)"
                                + " WITH (autovacuum_vacuum_insert_scale_factor = 0.02)")
                        .update();
                jdbc.sql("CREATE TABLE " + n.newStatus + " (LIKE " + n.queue.statusTable() + " INCLUDING ALL)")
                        .update();
                jdbc.sql(n.format(COPY_JOBS)).update();
                jdbc.sql(n.format(COPY_LATEST_STATUS)).update();
                // The aborted jobs the swap will drop are kept first (review P1-5): after the copy, so every job
                // it left behind as terminal is seen terminal here; a job aborted since the copy is in the copy
                // and stays in the queue. Committed before the swap; a failed swap leaves a job both kept and in
                // the queue (readers show it once), and the next try keeps nothing twice.
                retention.retain(n.queue, d, n.newJobs);
            });
            tx.executeWithoutResult(status -> {
                jdbc.sql("SELECT set_config('lock_timeout', :ms, true)")
                        .param("ms", settings.ddlLockTimeout().toMillis() + "ms")
                        .query()
                        .singleRow();
                // parents first, jobs before statuses: the order every jobsdb statement locks in
                jdbc.sql("LOCK TABLE " + n.queue.jobsTable() + ", " + n.queue.statusTable()
                                + " IN ACCESS EXCLUSIVE MODE")
                        .update();
                jdbc.sql(n.format(COPY_NEW_STATUS)).update();
                jdbc.sql("ALTER TABLE " + n.queue.jobsTable() + " DETACH PARTITION " + n.jobs)
                        .update();
                jdbc.sql("ALTER TABLE " + n.queue.statusTable() + " DETACH PARTITION " + n.status)
                        .update();
                jdbc.sql("DROP TABLE " + n.status + ", " + n.jobs).update();
                jdbc.sql("ALTER TABLE " + n.newJobs + " RENAME TO " + n.jobs).update();
                jdbc.sql("ALTER TABLE " + n.newStatus + " RENAME TO " + n.status)
                        .update();
                String range = " FOR VALUES FROM (" + d.minJobId() + ") TO (" + d.maxJobId() + ")";
                jdbc.sql("ALTER TABLE " + n.queue.jobsTable() + " ATTACH PARTITION " + n.jobs + range)
                        .update();
                jdbc.sql("ALTER TABLE " + n.queue.statusTable() + " ATTACH PARTITION " + n.status + range)
                        .update();
            });
        } catch (RuntimeException e) {
            jdbc.sql("DROP TABLE IF EXISTS " + n.newJobs + ", " + n.newStatus).update();
            throw e;
        }
        datasets.compacted(n.queue, d);
    }

    /** The tables of one dataset and of its compacted copy. */
    private record Names(Queue queue, String jobs, String status, String newJobs, String newStatus) {
        Names(Queue queue, Dataset d) {
            this(
                    queue,
                    queue.jobsTable() + "_" + d.idx(),
                    queue.statusTable() + "_" + d.idx(),
                    queue.jobsTable() + "_" + d.idx() + "_c",
                    queue.statusTable() + "_" + d.idx() + "_c");
        }

        String format(String template) {
            return template.formatted(jobs, status, newJobs, newStatus);
        }
    }
}
