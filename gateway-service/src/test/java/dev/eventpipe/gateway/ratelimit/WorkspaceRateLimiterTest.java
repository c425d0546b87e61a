package dev.eventpipe.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkspaceRateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private WorkspaceRateLimiter limiter(boolean enabled) {
        RateLimitProperties properties = new RateLimitProperties(
                enabled,
                10,
                Duration.ofSeconds(10),
                Map.of("big", new RateLimitProperties.Limit(100, Duration.ofSeconds(10))));
        return new WorkspaceRateLimiter(properties, now::get);
    }

    @Test
    void aWorkspaceMaySpendItsWholeLimitAtOnceAndThenWaitsForTheRate() {
        WorkspaceRateLimiter limiter = limiter(true);
        assertThat(limiter.acquire("ws", 10)).isEmpty();
        assertThat(limiter.acquire("ws", 1)).contains(Duration.ofSeconds(1));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(limiter.acquire("ws", 1)).isEmpty();
        assertThat(limiter.acquire("ws", 1)).isPresent();
    }

    @Test
    void workspacesAreLimitedSeparatelyAndOverridesApply() {
        WorkspaceRateLimiter limiter = limiter(true);
        assertThat(limiter.acquire("ws", 10)).isEmpty();
        assertThat(limiter.acquire("other", 10)).isEmpty();
        assertThat(limiter.acquire("big", 100)).isEmpty();
        assertThat(limiter.acquire("big", 1)).isPresent();
    }

    @Test
    void aRefusedRequestConsumesNothing() {
        WorkspaceRateLimiter limiter = limiter(true);
        assertThat(limiter.acquire("ws", 8)).isEmpty();
        assertThat(limiter.acquire("ws", 5)).isPresent();
        assertThat(limiter.acquire("ws", 2)).isEmpty();
    }

    @Test
    void aDisabledLimiterAllowsEverything() {
        WorkspaceRateLimiter limiter = limiter(false);
        assertThat(limiter.acquire("ws", 1_000_000)).isEmpty();
    }
}
