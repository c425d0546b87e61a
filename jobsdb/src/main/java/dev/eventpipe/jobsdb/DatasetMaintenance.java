package dev.eventpipe.jobsdb;

import dev.eventpipe.jobsdb.Datasets.Dataset;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps each queue's disk use bounded: closes the current dataset when it grows past the size or age limit
 * (the id range bounds the row count), and drops whole any closed dataset whose jobs are all terminal. One pass
 * is cheap: a dataset is scanned from the lowest job id not yet known to be terminal, since terminal is final.
 */
public final class DatasetMaintenance {
    private static final Logger log = LoggerFactory.getLogger(DatasetMaintenance.class);

    private static final String FIRST_PENDING = """
            SELECT j.job_id FROM %1$s j
            WHERE j.job_id >= :from
              AND NOT EXISTS (SELECT 1 FROM %2$s s WHERE s.job_id = j.job_id
                              AND s.job_state IN ('succeeded', 'aborted', 'filtered'))
            ORDER BY j.job_id LIMIT 1""";
    private static final String FIRST_CREATED = "SELECT created_at FROM %s ORDER BY job_id LIMIT 1";
    private static final String SIZE =
            "SELECT pg_total_relation_size(:jobs::regclass) + pg_total_relation_size(:status::regclass)";

    private final Datasets datasets;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final JobsDbSettings settings;
    private final InstantSource clock;
    /** Per "queue:idx", the lowest job id that may still be pending. */
    private final Map<String, Long> pendingFrom = new ConcurrentHashMap<>();

    DatasetMaintenance(DataSource dataSource, Datasets datasets, JobsDbSettings settings, InstantSource clock) {
        this.datasets = datasets;
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.settings = settings;
        this.clock = clock;
    }

    /** One maintenance pass over every queue; returns the number of datasets dropped. */
    public int runOnce() {
        int dropped = 0;
        for (Queue queue : Queue.values()) {
            rotateIfNeeded(queue);
            prepareAhead(queue);
            dropped += dropCompleted(queue);
        }
        return dropped;
    }

    void prepareAhead(Queue queue) {
        try {
            datasets.prepareAhead(queue, tx);
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
            if (dropIfCompleted(queue, d)) dropped++;
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
        Long pending = firstPending(queue, d, pendingFrom.getOrDefault(key, d.minJobId()));
        if (pending != null) {
            pendingFrom.put(key, pending);
            return false;
        }
        // Every visible job is terminal. A writer may still hold ids of this range uncommitted; under the
        // writer lock all of them are committed, and by commit ordering they all lie above maxSeen.
        Boolean dropped = tx.execute(status -> {
            datasets.lockWriters(queue);
            if (firstPending(queue, d, maxSeen + 1) != null) return false;
            datasets.drop(queue, d);
            return true;
        });
        if (Boolean.TRUE.equals(dropped)) {
            pendingFrom.remove(key);
            log.atInfo()
                    .addKeyValue("queue", queue.prefix())
                    .addKeyValue("dataset", d.idx())
                    .log("dropped dataset");
            return true;
        }
        return false;
    }

    private Long firstPending(Queue queue, Dataset d, long from) {
        return jdbc.sql(FIRST_PENDING.formatted(queue.jobsTable() + "_" + d.idx(), queue.statusTable() + "_" + d.idx()))
                .param("from", from)
                .query(Long.class)
                .optional()
                .orElse(null);
    }
}
