package dev.eventpipe.processor.dedup;

import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.stats.StatsRepository;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Retention of the processor's own tables, in the background every {@code processor.dedup.cleanup-interval}:
 * creates the dedup partitions of the next hours, drops those older than the dedup window (whole partitions, no
 * DELETE), and deletes stage counts older than {@code processor.stats.retention} in small slices.
 */
@Component
class DedupExpiry implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(DedupExpiry.class);
    private static final int SLICE = 10_000;

    private final SeenMessageIds seen;
    private final StatsRepository stats;
    private final ProcessorProperties properties;
    private ScheduledExecutorService executor;

    DedupExpiry(SeenMessageIds seen, StatsRepository stats, ProcessorProperties properties) {
        this.seen = seen;
        this.stats = stats;
        this.properties = properties;
    }

    void runOnce() {
        seen.cover();
        int partitions = seen.dropExpired(properties.dedup().window());
        if (partitions > 0) log.atInfo().addKeyValue("partitions", partitions).log("dropped expired dedup ids");
        Instant cutoff = Instant.now().minus(properties.stats().retention());
        int deleted;
        do deleted = stats.deleteBefore(cutoff, SLICE);
        while (deleted == SLICE);
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "processor-retention");
            t.setDaemon(true);
            return t;
        });
        long every = properties.dedup().cleanupInterval().toMillis();
        executor.scheduleWithFixedDelay(
                () -> {
                    try {
                        runOnce();
                    } catch (RuntimeException e) {
                        log.atWarn().setCause(e).log("retention of dedup ids and stats failed; will retry");
                    }
                },
                0,
                every,
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
