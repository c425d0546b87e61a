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
 * {@code mix(FNV-1a("workspace:destination:user")) % workers}, so one user's jobs for it run one after the other, in
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
        return workers.get(index(key, workers.size()));
    }

    /**
     * The worker of a key: FNV-1a of {@code "workspace:destination:user"}, its bits mixed (MurmurHash3's finalizer),
     * modulo the workers. The low bits of FNV-1a, which pick one of 8 workers, depend on the low bits of the key's
     * bytes only: the whole-suite benchmark's 192 users ({@code <<>>anon-N<<>>user-N}) fell on 4 of its 8 workers,
     * 90 of them on one (issue 16), and each worker sends one request at a time. A key's worker only has to stay the
     * same within a process (its jobs in flight are on it), which any function of the key does.
     */
    static int index(OrderKey key, int workers) {
        int hash = 0x811c9dc5;
        for (byte b : key.toString().getBytes(StandardCharsets.UTF_8)) {
            hash ^= (b & 0xff);
            hash *= 0x01000193;
        }
        hash ^= hash >>> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >>> 13;
        hash *= 0xc2b2ae35;
        hash ^= hash >>> 16;
        return Integer.remainderUnsigned(hash, workers);
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
