package dev.eventpipe.processor.dedup;

import dev.eventpipe.processor.config.ProcessorProperties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Deletes expired dedup ids in the background, in small slices so no long lock is held. */
@Component
class DedupExpiry implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(DedupExpiry.class);
    private static final int SLICE = 10_000;

    private final SeenMessageIds seen;
    private final ProcessorProperties.Dedup settings;
    private ScheduledExecutorService executor;

    DedupExpiry(SeenMessageIds seen, ProcessorProperties properties) {
        this.seen = seen;
        this.settings = properties.dedup();
    }

    void runOnce() {
        int deleted;
        do deleted = seen.expire(settings.window(), SLICE);
        while (deleted == SLICE);
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "processor-dedup-expiry");
            t.setDaemon(true);
            return t;
        });
        long every = settings.cleanupInterval().toMillis();
        executor.scheduleWithFixedDelay(
                () -> {
                    try {
                        runOnce();
                    } catch (RuntimeException e) {
                        log.atWarn().setCause(e).log("dedup expiry failed; will retry");
                    }
                },
                every,
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
