package dev.eventpipe.gateway.storage;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.StorageBudget;
import dev.eventpipe.jobsdb.StorageSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Keeps the job tables within their storage budget ({@link StorageBudget}) by refusing new events with 503 and
 * {@code Retry-After} past the high-water mark: RudderStack's and Segment's SDKs keep such events and retry, so
 * nothing is lost, and PostgreSQL never reaches a full disk. Nothing already acknowledged is touched. Usage is
 * measured every {@code jobsdb.storage.check-interval}; if a measurement fails, the last decision stands.
 */
@Component
public class StorageGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StorageGuard.class);

    private final StorageBudget budget;
    private final Duration retryAfter;
    private final ScheduledExecutorService executor;

    StorageGuard(
            JobsDbs jobsDbs, // the schema exists before the budget measures it
            DataSource dataSource,
            StorageSettings settings,
            MeterRegistry meters,
            @Value("${gateway.storage-retry-after:30s}") Duration retryAfter) {
        this.budget = StorageBudget.open(dataSource, settings);
        this.retryAfter = retryAfter;
        Gauge.builder("jobsdb.storage.used", budget, b -> b.status().usedBytes())
                .description("bytes used by the job tables (every dataset, with indexes)")
                .baseUnit("bytes")
                .register(meters);
        Gauge.builder("jobsdb.storage.budget", budget, b -> b.status().budgetBytes())
                .description("the job tables' storage budget; 0 when there is none")
                .baseUnit("bytes")
                .register(meters);
        Gauge.builder("gateway.storage.accepting", budget, b -> b.accepting() ? 1 : 0)
                .description("1 while the gateway accepts events, 0 while the job tables are past the high-water mark")
                .register(meters);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gw-storage-budget");
            t.setDaemon(true);
            return t;
        });
        long every = settings.checkInterval().toMillis();
        executor.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    private void refresh() {
        try {
            budget.refresh();
        } catch (RuntimeException e) {
            log.atDebug().setCause(e).log("could not measure the job tables; keeping the last decision");
        }
    }

    /** False while the job tables are past the high-water mark (until they fall below the low-water mark). */
    public boolean accepting() {
        return budget.accepting();
    }

    public StorageBudget.Status status() {
        return budget.status();
    }

    /** What a refused request is told to wait before retrying. */
    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
