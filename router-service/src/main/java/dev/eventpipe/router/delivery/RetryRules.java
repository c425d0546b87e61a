package dev.eventpipe.router.delivery;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.router.config.DestinationSettings;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns a delivery result into the job's next state (rs:router/misc.go, worker.go): 2xx succeeded (298 filtered),
 * rejected aborted at once, retryable failed with exponential backoff {@code min(maxBackoff, minBackoff ×
 * 2^(attempt−1))} (or the destination's Retry-After, at most {@code maxBackoff}), and aborted once a 5xx job has both spent its retry window
 * since the first attempt and been tried {@code minAttempts} times. 408 and 429 never reach that limit: a
 * throttling destination is retried until the job's retention drains it, as RudderStack does.
 */
public final class RetryRules {
    private RetryRules() {}

    /** The next status of a job after attempt number {@code attempt}. */
    public static Next next(
            DeliveryResult result, int attempt, Instant firstAttemptedAt, Instant now, DestinationSettings settings) {
        return switch (result) {
            case DeliveryResult.Delivered d when d.status() == 298 -> new Next(JobState.FILTERED, now, d.status());
            case DeliveryResult.Delivered d -> new Next(JobState.SUCCEEDED, now, d.status());
            case DeliveryResult.Rejected r -> new Next(JobState.ABORTED, now, r.status());
            case DeliveryResult.Retryable r
            when exhausted(r, attempt, firstAttemptedAt, now, settings) -> new Next(JobState.ABORTED, now, r.status());
            case DeliveryResult.Retryable r ->
                new Next(JobState.FAILED, now.plus(delay(r, attempt, settings)), r.status());
            case DeliveryResult.NotAttempted n -> new Next(JobState.FAILED, now.plus(n.retryIn()), 0);
        };
    }

    /** The state, retry time and status code to record. */
    public record Next(JobState state, Instant retryTime, int statusCode) {}

    static boolean exhausted(
            DeliveryResult.Retryable r, int attempt, Instant first, Instant now, DestinationSettings settings) {
        return r.status() >= 500
                && attempt >= settings.minAttempts()
                && Duration.between(first, now).compareTo(settings.retryWindow()) > 0;
    }

    static Duration delay(DeliveryResult.Retryable r, int attempt, DestinationSettings settings) {
        // a destination's Retry-After is honoured up to max-backoff: one bad header must not park a user for months
        Duration asked = r.retryAfter();
        if (asked != null) return asked.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : asked;
        return backoff(attempt, settings);
    }

    public static Duration backoff(int attempt, DestinationSettings settings) {
        int doublings = Math.clamp(attempt - 1, 0, 30);
        Duration max = settings.maxBackoff();
        Duration d = settings.minBackoff();
        for (int i = 0; i < doublings && d.compareTo(max) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(max) > 0 ? max : d;
    }
}
