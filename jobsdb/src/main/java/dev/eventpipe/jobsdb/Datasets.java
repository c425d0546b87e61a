package dev.eventpipe.jobsdb;

import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The datasets of each queue: partition pairs covering consecutive job-id ranges of {@code maxJobs} ids. A
 * dataset is full when its range is used up; rotating early (for size or age) moves the id sequence to the end of
 * the current range, so the next store opens a new dataset. Datasets are created on demand by writers inside
 * {@code jobsdb_allocate} (V4 migration), under the queue's writer lock, so the registry and the sequence never
 * disagree.
 */
final class Datasets {
    /** One dataset: job ids in [minJobId, maxJobId). */
    record Dataset(int idx, long minJobId, long maxJobId, Instant createdAt) {}

    private static final String LIST = """
            SELECT idx, min_job_id, max_job_id, created_at FROM jobsdb_datasets WHERE queue = :queue ORDER BY idx""";
    // The id the next allocation will return.
    private static final String NEXT_ID = "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM %s";

    private final JdbcClient jdbc;
    private final long maxJobs;

    Datasets(DataSource dataSource, long maxJobs) {
        this.jdbc = JdbcClient.create(dataSource);
        this.maxJobs = maxJobs;
    }

    /** Takes the queue's writer lock until the end of the current transaction. */
    void lockWriters(Queue queue) {
        jdbc.sql("SELECT pg_advisory_xact_lock(:key)")
                .param("key", queue.lockKey())
                .query()
                .singleRow();
    }

    /**
     * Creates the next dataset while the open one still has room, so writers seldom take the DDL locks. Runs in
     * its own transaction with a lock timeout: busy tables make it give up and try on the next pass.
     */
    void prepareAhead(Queue queue, TransactionTemplate tx, java.time.Duration lockTimeout) {
        tx.executeWithoutResult(status -> {
            jdbc.sql("SELECT set_config('lock_timeout', :ms, true)")
                    .param("ms", lockTimeout.toMillis() + "ms")
                    .query()
                    .singleRow();
            lockWriters(queue);
            long next = nextJobId(queue);
            jdbc.sql("SELECT jobsdb_cover(:prefix, :upTo, :maxJobs)")
                    .param("prefix", queue.prefix())
                    .param("upTo", next + maxJobs / 2)
                    .param("maxJobs", maxJobs)
                    .query()
                    .singleRow();
        });
    }

    long maxJobs() {
        return maxJobs;
    }

    List<Dataset> list(Queue queue) {
        return jdbc.sql(LIST)
                .param("queue", queue.prefix())
                .query((rs, n) -> new Dataset(
                        rs.getInt("idx"),
                        rs.getLong("min_job_id"),
                        rs.getLong("max_job_id"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    long nextJobId(Queue queue) {
        return jdbc.sql(NEXT_ID.formatted(queue.jobIdSequence()))
                .query(Long.class)
                .single();
    }

    /** Closes the dataset that holds the next id, so the next store opens a new one. Writer lock required. */
    void closeCurrent(Queue queue, Dataset current) {
        jdbc.sql("SELECT setval(:seq::regclass, :last)")
                .param("seq", queue.jobIdSequence())
                .param("last", current.maxJobId() - 1)
                .query()
                .singleRow();
    }

    void compacted(Queue queue, Dataset dataset) {
        jdbc.sql("""
                        UPDATE jobsdb_datasets SET compactions = compactions + 1, compacted_at = now()
                        WHERE queue = :queue AND idx = :idx""").param("queue", queue.prefix()).param("idx", dataset.idx()).update();
    }

    /**
     * Records that every job of the dataset below {@code jobId} is terminal (crash recovery starts there); never
     * lowers what is recorded.
     */
    void terminalBelow(Queue queue, Dataset dataset, long jobId) {
        jdbc.sql("""
                        UPDATE jobsdb_datasets SET terminal_below = :below
                        WHERE queue = :queue AND idx = :idx AND coalesce(terminal_below, min_job_id) < :below""")
                .param("below", jobId)
                .param("queue", queue.prefix())
                .param("idx", dataset.idx())
                .update();
    }

    void drop(Queue queue, Dataset dataset) {
        jdbc.sql("SELECT jobsdb_drop_dataset(:prefix, :idx)")
                .param("prefix", queue.prefix())
                .param("idx", dataset.idx())
                .query()
                .singleRow();
    }
}
