package dev.eventpipe.jobsdb;

import dev.eventpipe.jobsdb.Datasets.Dataset;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps each queue's disk use bounded: closes the current dataset when it grows past the size or age limit (the
 * id range bounds the row count), drops whole any closed dataset whose jobs are all terminal, and compacts a
 * closed dataset whose jobs are mostly terminal ({@link Compaction}). One pass is cheap: a dataset is scanned from
 * the lowest job id not yet known to be terminal, since terminal is final, and live jobs are counted at most once
 * per {@code compactionCheckInterval}. That id is recorded for each closed dataset ({@code terminal_below}), where
 * crash recovery starts.
 *
 * <p>Every service may run maintenance; a pass runs only while its process holds the database-wide maintenance
 * lock (a session advisory lock, freed if the process dies), so replicas never drop or compact the same dataset
 * at once. Every statement that needs a queue's parent tables exclusively (drop, compaction swap, new dataset)
 * waits at most {@code ddlLockTimeout} and is retried at the next pass, so a long reader never makes writers
 * queue behind it for longer.
 */
public final class DatasetMaintenance {
    private static final Logger log = LoggerFactory.getLogger(DatasetMaintenance.class);
    /** Key of the session advisory lock that makes one process at a time the maintainer. */
    static final long MAINTENANCE_LOCK = 0x6a6f6273_6d61696eL;

    // The first job at or above :from without a terminal status. The status side repeats the bound (s.job_id >= :from
    // follows from s.job_id = j.job_id, but PostgreSQL does not carry it into an anti-join): without it the merge
    // anti-join PostgreSQL picks for a full dataset walked the dataset's status index from its first row on every
    // pass, fetching each row for its state, so a pass late in a dataset's life read every status row below :from
    // (issue 16: 35 passes over a gw dataset took 25 s of the database in one whole-suite benchmark, 0.85 s each).
    static final String FIRST_PENDING = """
            SELECT j.job_id FROM %1$s j
            WHERE j.job_id >= :from
              AND NOT EXISTS (SELECT 1 FROM %2$s s WHERE s.job_id = j.job_id AND s.job_id >= :from
                              AND s.job_state IN ('succeeded', 'aborted', 'filtered'))
            ORDER BY j.job_id LIMIT 1""";
    private static final String FIRST_CREATED = "SELECT created_at FROM %s ORDER BY job_id LIMIT 1";
    private static final String SIZE =
            "SELECT pg_total_relation_size(:jobs::regclass) + pg_total_relation_size(:status::regclass)";

    private final DataSource dataSource;
    private final Datasets datasets;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final JobsDbSettings settings;
    private final InstantSource clock;
    private final Compaction compaction;
    private final FailedEventRetention retention;
    /** Per "queue:idx", the lowest job id that may still be pending. */
    private final Map<String, Long> pendingFrom = new ConcurrentHashMap<>();
    /** Per "queue:idx", when its live jobs were last counted for compaction. */
    private final Map<String, Instant> lastCompactionCheck = new ConcurrentHashMap<>();

    DatasetMaintenance(DataSource dataSource, Datasets datasets, JobsDbSettings settings, InstantSource clock) {
        this.dataSource = dataSource;
        this.datasets = datasets;
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.settings = settings;
        this.clock = clock;
        this.retention = new FailedEventRetention(jdbc);
        this.compaction = new Compaction(jdbc, tx, datasets, settings, retention);
    }

    /**
     * One maintenance pass over every queue, if no other process is running one; returns the number of datasets
     * dropped.
     */
    public int runOnce() {
        try (Connection session = dataSource.getConnection()) {
            if (!advisory(session, "SELECT pg_try_advisory_lock(?)")) {
                log.atDebug().log("another process is maintaining the queues; skipping this pass");
                return 0;
            }
            try {
                int dropped = 0;
                for (Queue queue : Queue.values()) {
                    rotateIfNeeded(queue);
                    prepareAhead(queue);
                    dropped += dropCompleted(queue);
                }
                forgetDeadReplicas();
                sweepRetained();
                return dropped;
            } finally {
                advisory(session, "SELECT pg_advisory_unlock(?)");
            }
        } catch (SQLException e) {
            throw new JobsDbException("dataset maintenance could not reach the database", e);
        }
    }

    /**
     * Lease members that stopped heartbeating an hour ago are gone (a crashed process leaves its random holder
     * name behind); a live member renews its row every few seconds, so it is never deleted.
     */
    private void forgetDeadReplicas() {
        int forgotten = jdbc.sql("DELETE FROM jobsdb_lease_members WHERE expires_at < now() - interval '1 hour'")
                .update();
        if (forgotten > 0) log.atInfo().addKeyValue("members", forgotten).log("forgot replicas that stopped long ago");
    }

    /** Aborted jobs kept past their dataset are deleted {@code failedRetention} after they were aborted. */
    private void sweepRetained() {
        int deleted = retention.sweep(clock.instant().minus(settings.failedRetention()));
        if (deleted > 0) log.atInfo().addKeyValue("jobs", deleted).log("deleted aborted jobs past their retention");
    }

    private static boolean advisory(Connection session, String sql) throws SQLException {
        try (PreparedStatement statement = session.prepareStatement(sql)) {
            statement.setLong(1, MAINTENANCE_LOCK);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    void prepareAhead(Queue queue) {
        try {
            datasets.prepareAhead(queue, tx, settings.ddlLockTimeout());
        } catch (RuntimeException e) {
            log.atInfo()
                    .addKeyValue("queue", queue.prefix())
                    .addKeyValue("error", e.getMessage())
                    .log("could not prepare the next dataset now; writers will if they must");
        }
    }

    void rotateIfNeeded(Queue queue) {
        tx.executeWithoutResult(status -> {
            datasets.lockWriters(queue);
            long next = datasets.nextJobId(queue);
            List<Dataset> all = datasets.list(queue);
            Dataset current = all.stream()
                    .filter(d -> d.minJobId() < next && next < d.maxJobId())
                    .findFirst()
                    .orElse(null);
            if (current == null) return; // no job in the current range yet
            String reason = tooBig(queue, current) ? "size" : tooOld(queue, current) ? "age" : null;
            if (reason == null) return;
            datasets.closeCurrent(queue, current);
            log.atInfo()
                    .addKeyValue("queue", queue.prefix())
                    .addKeyValue("dataset", current.idx())
                    .addKeyValue("reason", reason)
                    .log("closed dataset early");
        });
    }

    private boolean tooBig(Queue queue, Dataset d) {
        long bytes = jdbc.sql(SIZE)
                .param("jobs", queue.jobsTable() + "_" + d.idx())
                .param("status", queue.statusTable() + "_" + d.idx())
                .query(Long.class)
                .single();
        return bytes >= settings.maxDatasetBytes();
    }

    private boolean tooOld(Queue queue, Dataset d) {
        return jdbc.sql(FIRST_CREATED.formatted(queue.jobsTable() + "_" + d.idx()))
                .query(java.sql.Timestamp.class)
                .optional()
                .map(t -> Duration.between(t.toInstant(), clock.instant()).compareTo(settings.maxDatasetAge()) >= 0)
                .orElse(false);
    }

    int dropCompleted(Queue queue) {
        long next = datasets.nextJobId(queue);
        int dropped = 0;
        for (Dataset d : datasets.list(queue)) {
            if (d.maxJobId() > next) continue; // still open for writes
            try {
                if (dropIfCompleted(queue, d)) dropped++;
                else compactIfDue(queue, d);
            } catch (RuntimeException e) {
                log.atInfo()
                        .addKeyValue("queue", queue.prefix())
                        .addKeyValue("dataset", d.idx())
                        .addKeyValue("error", e.getMessage())
                        .log("dataset left for the next pass");
            }
        }
        return dropped;
    }

    private boolean dropIfCompleted(Queue queue, Dataset d) {
        String jobs = queue.jobsTable() + "_" + d.idx();
        String key = queue.prefix() + ":" + d.idx();
        long maxSeen = jdbc.sql("SELECT coalesce(max(job_id), :none) FROM " + jobs)
                .param("none", d.minJobId() - 1)
                .query(Long.class)
                .single();
        long from = pendingFrom.getOrDefault(key, d.minJobId());
        Long pending = firstPending(queue, d, from);
        // every job below is terminal (ids commit in order, so every id below maxSeen is committed or never will
        // be): crash recovery starts there
        long terminalBelow = pending != null ? pending : maxSeen + 1;
        if (terminalBelow > from) datasets.terminalBelow(queue, d, terminalBelow);
        if (pending != null) {
            pendingFrom.put(key, pending);
            return false;
        }
        // Every visible job is terminal. A writer may still hold ids of this closed range uncommitted; once the
        // writer lock has been ours, every id allocated before is committed (or gone), and by commit ordering
        // all of them lie above maxSeen. Terminal is final, so what is terminal now stays terminal.
        awaitWriters(queue);
        if (firstPending(queue, d, maxSeen + 1) != null) return false;
        // the aborted jobs are kept before the drop, in its transaction: both happen or neither (review P1-5)
        boolean dropped = Boolean.TRUE.equals(tx.execute(status -> {
            lockTimeout();
            retention.retain(queue, d, null);
            datasets.drop(queue, d);
            return true;
        }));
        if (dropped) {
            pendingFrom.remove(key);
            lastCompactionCheck.remove(key);
            log.atInfo()
                    .addKeyValue("queue", queue.prefix())
                    .addKeyValue("dataset", d.idx())
                    .log("dropped dataset");
        }
        return dropped;
    }

    private void compactIfDue(Queue queue, Dataset d) {
        String key = queue.prefix() + ":" + d.idx();
        Instant now = clock.instant();
        if (Duration.between(d.createdAt(), now).compareTo(settings.compactionMinAge()) < 0) return;
        Instant last = lastCompactionCheck.get(key);
        if (last != null && Duration.between(last, now).compareTo(settings.compactionCheckInterval()) < 0) return;
        lastCompactionCheck.put(key, now);
        awaitWriters(queue);
        Compaction.Outcome outcome = compaction.compactIfWorthIt(queue, d);
        if (outcome.compacted())
            log.atInfo()
                    .addKeyValue("queue", queue.prefix())
                    .addKeyValue("dataset", d.idx())
                    .addKeyValue("liveJobs", outcome.liveJobs())
                    .addKeyValue("rowsBefore", outcome.rowsBefore())
                    .log("compacted dataset");
    }

    /** Returns once every writer that held the queue's writer lock before this call has committed. */
    private void awaitWriters(Queue queue) {
        tx.executeWithoutResult(status -> {
            lockTimeout();
            datasets.lockWriters(queue);
        });
    }

    private void lockTimeout() {
        jdbc.sql("SELECT set_config('lock_timeout', :ms, true)")
                .param("ms", settings.ddlLockTimeout().toMillis() + "ms")
                .query()
                .singleRow();
    }

    private @Nullable Long firstPending(Queue queue, Dataset d, long from) {
        return jdbc.sql(FIRST_PENDING.formatted(queue.jobsTable() + "_" + d.idx(), queue.statusTable() + "_" + d.idx()))
                .param("from", from)
                .query(Long.class)
                .optional()
                .orElse(null);
    }
}
