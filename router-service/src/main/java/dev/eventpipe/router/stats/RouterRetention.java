package dev.eventpipe.router.stats;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.config.RouterSchema;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Retention of the router's own tables (review P2-10), every {@code router.retention.interval} in the background:
 * the delivery, latency and error counts of minutes older than {@code router.retention.stats} (30 days), and the
 * replay records older than {@code router.retention.replays} (30 days, jobsdb's {@code failed-retention}: by then
 * the aborted original is gone from the kept failed events too), but only those whose copy is finished or gone:
 * {@code Replay} reads a record whose copy is still queued or retried to refuse a second copy, so deleting it early
 * would let a double-submitted replay make two (review P3-2; the retention may be set below the jobs' own).
 * Deleted in slices of 10,000 rows, so no statement holds many row locks or runs long; any replica may run it (a row
 * deleted twice is deleted once).
 */
@Component
public class RouterRetention implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(RouterRetention.class);
    private static final int SLICE = 10_000;
    // table, time column: the names are constants here, never input
    private static final List<String[]> STATS = List.of(
            new String[] {"router_delivery_stats", "bucket"},
            new String[] {"router_latency_stats", "bucket"},
            new String[] {"router_error_stats", "bucket"});
    private static final String DELETE =
            "DELETE FROM %1$s WHERE ctid IN (SELECT ctid FROM %1$s WHERE %2$s < :cutoff LIMIT :limit)";

    private static final String OLD_REPLAYS = """
            SELECT new_job_id FROM router_replays WHERE replayed_at < :cutoff AND new_job_id > :after
            ORDER BY new_job_id LIMIT :limit""";

    private final JdbcClient jdbc;
    private final JobsDbs jobsDbs;
    private final RouterProperties.Retention settings;
    private final InstantSource clock;
    private ScheduledExecutorService executor;

    RouterRetention(
            DataSource dataSource,
            JobsDbs jobsDbs,
            RouterProperties properties,
            InstantSource clock,
            RouterSchema migrated) {
        this.jdbc = JdbcClient.create(dataSource);
        this.jobsDbs = jobsDbs;
        this.settings = properties.retention();
        this.clock = clock;
    }

    /** One pass; returns the rows deleted. */
    public long runOnce() {
        Instant now = clock.instant();
        long deleted = 0;
        for (String[] table : STATS) deleted += deleteBefore(table[0], table[1], now.minus(settings.stats()));
        deleted += deleteReplaysBefore(now.minus(settings.replays()));
        if (deleted > 0) log.atInfo().addKeyValue("rows", deleted).log("deleted stats and replays past retention");
        return deleted;
    }

    /** Replay records older than {@code cutoff} whose copy is finished or gone, a slice of records at a time. */
    private long deleteReplaysBefore(Instant cutoff) {
        long total = 0;
        long after = Long.MIN_VALUE;
        while (true) {
            List<Long> copies = jdbc.sql(OLD_REPLAYS)
                    .param("cutoff", Timestamp.from(cutoff))
                    .param("after", after)
                    .param("limit", SLICE)
                    .query(Long.class)
                    .list();
            if (copies.isEmpty()) return total;
            after = copies.getLast();
            Set<Long> unfinished = jobsDbs.reads().unfinished(Queue.RT, copies);
            List<Long> done =
                    copies.stream().filter(c -> !unfinished.contains(c)).toList();
            if (!done.isEmpty())
                total += jdbc.sql("DELETE FROM router_replays WHERE new_job_id IN (:ids)")
                        .param("ids", done)
                        .update();
            if (copies.size() < SLICE) return total;
        }
    }

    private long deleteBefore(String table, String column, Instant cutoff) {
        long total = 0;
        int deleted;
        do {
            deleted = jdbc.sql(DELETE.formatted(table, column))
                    .param("cutoff", Timestamp.from(cutoff))
                    .param("limit", SLICE)
                    .update();
            total += deleted;
        } while (deleted == SLICE);
        return total;
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "router-retention");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(
                () -> {
                    try {
                        runOnce();
                    } catch (RuntimeException e) {
                        log.atWarn().setCause(e).log("retention of stats and replays failed; will retry");
                    }
                },
                0,
                settings.interval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (executor != null) executor.shutdownNow();
        executor = null;
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
