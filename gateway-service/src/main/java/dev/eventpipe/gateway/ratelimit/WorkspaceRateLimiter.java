package dev.eventpipe.gateway.ratelimit;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * In-memory GCRA per workspace, as RudderStack's gateway throttler (rs:gateway/throttler): {@code eventLimit} events
 * per {@code window}, bursts up to the whole limit, cost = the number of events of the request. A refused request
 * consumes nothing and learns when its events would fit ({@code Retry-After}). Lock-free: one CAS per request.
 */
@Component
public class WorkspaceRateLimiter {
    private final RateLimitProperties properties;
    private final LongSupplier nanoClock;
    // theoretical arrival time per workspace, in nanoTime units
    private final ConcurrentHashMap<String, AtomicLong> tat = new ConcurrentHashMap<>();

    @Autowired
    WorkspaceRateLimiter(RateLimitProperties properties) {
        this(properties, System::nanoTime);
    }

    WorkspaceRateLimiter(RateLimitProperties properties, LongSupplier nanoClock) {
        this.properties = properties;
        this.nanoClock = nanoClock;
    }

    public boolean enabled() {
        return properties.enabled();
    }

    /** Takes {@code events} from the workspace's allowance; empty when allowed, else how long to wait. */
    public Optional<Duration> acquire(String workspaceId, int events) {
        if (!properties.enabled()) return Optional.empty();
        RateLimitProperties.Limit limit = properties.limitOf(workspaceId);
        long window = limit.window().toNanos();
        long interval = Math.max(1, window / Math.max(1, limit.eventLimit()));
        long now = nanoClock.getAsLong();
        AtomicLong cell = tat.computeIfAbsent(workspaceId, k -> new AtomicLong(now));
        while (true) {
            long current = cell.get();
            long newTat = Math.max(current, now) + interval * events;
            long allowAt = newTat - window;
            if (allowAt - now > 0) return Optional.of(Duration.ofNanos(allowAt - now));
            if (cell.compareAndSet(current, newTat)) return Optional.empty();
        }
    }
}
