package dev.eventpipe.router.stats;

import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.config.RouterSchema;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
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
 * the aborted original is gone from the kept failed events too). Deleted in slices of 10,000 rows, so no statement
 * holds many row locks or runs long; any replica may run it (a row deleted twice is deleted once).
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

    private final JdbcClient jdbc;
    private final RouterProperties.Retention settings;
    private final InstantSource clock;
    private ScheduledExecutorService executor;

    RouterRetention(DataSource dataSource, RouterProperties properties, InstantSource clock, RouterSchema migrated) {
        this.jdbc = JdbcClient.create(dataSource);
        this.settings = properties.retention();
        this.clock = clock;
    }

    /** One pass; returns the rows deleted. */
    public long runOnce() {
        Instant now = clock.instant();
        long deleted = 0;
        for (String[] table : STATS) deleted += deleteBefore(table[0], table[1], now.minus(settings.stats()));
        deleted += deleteBefore("router_replays", "replayed_at", now.minus(settings.replays()));
        if (deleted > 0) log.atInfo().addKeyValue("rows", deleted).log("deleted stats and replays past retention");
        return deleted;
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
