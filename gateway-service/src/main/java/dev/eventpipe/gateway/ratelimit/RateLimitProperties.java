package dev.eventpipe.gateway.ratelimit;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The optional per-workspace event rate limit ({@code gateway.rate-limit.*}), RudderStack's
 * {@code Gateway.enableRateLimit} with {@code RateLimit.eventLimit} events per {@code RateLimit.rateLimitWindow}.
 *
 * @param workspaces per-workspace overrides of limit and window, keyed by workspace id
 */
@ConfigurationProperties("gateway.rate-limit")
public record RateLimitProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("1000") long eventLimit,
        @DefaultValue("60s") Duration window,
        Map<String, Limit> workspaces) {

    public RateLimitProperties {
        workspaces = workspaces == null ? Map.of() : Map.copyOf(workspaces);
    }

    public record Limit(long eventLimit, Duration window) {}

    Limit limitOf(String workspaceId) {
        return workspaces.getOrDefault(workspaceId, new Limit(eventLimit, window));
    }
}
