package dev.eventpipe.router.delivery;

import dev.eventpipe.router.config.DestinationSettings;
import dev.eventpipe.router.ordering.OrderKey;
import dev.eventpipe.router.status.RtJob;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The workers of one destination, which are also its concurrency limit: a job goes to worker
 * {@code FNV-1a("workspace:destination:user") % workers}, so one user's jobs for it run one after the other, in
 * the order they were handed over. Each destination has its own rate limiter, so a slow or failing destination only
 * ever occupies its own workers. There is no circuit breaker: see "Why no circuit breaker" in router-service/README.md.
 */
public final class DestinationWorkers {
    private final String destinationId;
    private final DestinationSettings settings;
    private final List<Worker> workers = new ArrayList<>();
    private final @Nullable RateLimiter rateLimiter;
    private final Counter throttled;

    DestinationWorkers(
            String destinationId,
            DestinationSettings settings,
            Function<Integer, Worker> newWorker,
            Counter throttled) {
        this.throttled = throttled;
        this.destinationId = destinationId;
        this.settings = settings;
        this.rateLimiter = settings.rateLimit() <= 0
                ? null
                : RateLimiter.of(
                        "destination-" + destinationId,
                        RateLimiterConfig.custom()
                                .limitForPeriod(settings.rateLimit())
                                .limitRefreshPeriod(settings.rateWindow())
                                .timeoutDuration(Duration.ZERO)
                                .build());
        for (int i = 0; i < settings.workers(); i++) workers.add(newWorker.apply(i));
    }

    String destinationId() {
        return destinationId;
    }

    DestinationSettings settings() {
        return settings;
    }

    public Worker workerFor(OrderKey key) {
        int hash = 0x811c9dc5;
        for (byte b : key.toString().getBytes(StandardCharsets.UTF_8)) {
            hash ^= (b & 0xff);
            hash *= 0x01000193;
        }
        return workers.get(Integer.remainderUnsigned(hash, workers.size()));
    }

    /** Takes one permit of the rate limit without waiting; false means "not now, keep the job for later". */
    public boolean tryThrottle() {
        if (rateLimiter == null || rateLimiter.acquirePermission()) return true;
        throttled.increment();
        return false;
    }

    long deadWorkers() {
        return workers.stream().filter(w -> !w.alive()).count();
    }

    void start() {
        workers.forEach(Worker::start);
    }

    /** Stops the workers and returns the jobs they had not started. */
    List<RtJob> stop() {
        List<RtJob> unstarted = new ArrayList<>();
        for (Worker w : workers) unstarted.addAll(w.stop());
        return unstarted;
    }
}
