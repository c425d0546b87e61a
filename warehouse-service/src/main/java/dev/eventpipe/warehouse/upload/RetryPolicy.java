package dev.eventpipe.warehouse.upload;

import dev.eventpipe.warehouse.config.WarehouseProperties;
import java.time.Duration;
import java.time.Instant;

/** When a failed upload is tried again, and when it is given up (RudderStack's warehouse rules). */
final class RetryPolicy {
    private final WarehouseProperties.Uploads settings;

    RetryPolicy(WarehouseProperties.Uploads settings) {
        this.settings = settings;
    }

    /** Backoff after the given number of attempts: min × 2^(attempts−1), at most max. */
    Duration backoff(int attempts) {
        long factor = 1L << Math.min(20, Math.max(0, attempts - 1));
        Duration d = settings.minBackoff().multipliedBy(factor);
        return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
    }

    /** Aborted once it has been tried {@code minAttempts} times and the retry window since its first try passed. */
    boolean exhausted(int attempts, Instant firstAttempt, Instant now) {
        return attempts >= settings.minAttempts() && !now.isBefore(firstAttempt.plus(settings.retryWindow()));
    }
}
