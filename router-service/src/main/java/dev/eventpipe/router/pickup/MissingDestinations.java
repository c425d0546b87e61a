package dev.eventpipe.router.pickup;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Destinations with jobs that the workspace config does not list, and since when a pickup has found each so (review
 * P2-12): their jobs are drained only once the destination has been missing for the grace, counted from the first
 * pickup that found it missing, not from the job's age (a backlog of old jobs must not be drained because one
 * config poll lacked their destination). A destination the config lists again is forgotten at the next pickup.
 */
final class MissingDestinations {
    private final Duration grace;
    private final Map<String, Instant> since = new ConcurrentHashMap<>();

    MissingDestinations(Duration grace) {
        this.grace = grace;
    }

    Duration grace() {
        return grace;
    }

    /** True once {@code destinationId} has been missing for the grace; the first call starts its count. */
    boolean missingLongEnough(String destinationId, Instant now) {
        Instant first = since.computeIfAbsent(destinationId, id -> now);
        return Duration.between(first, now).compareTo(grace) >= 0;
    }

    /** Whether {@code destinationId} was found missing and its grace has not ended at {@code now}. */
    boolean inGrace(String destinationId, Instant now) {
        Instant first = since.get(destinationId);
        return first != null && Duration.between(first, now).compareTo(grace) < 0;
    }

    /** The destinations found missing whose grace has not ended at {@code now}. */
    Set<String> inGrace(Instant now) {
        Set<String> ids = new java.util.HashSet<>();
        since.forEach((id, first) -> {
            if (Duration.between(first, now).compareTo(grace) < 0) ids.add(id);
        });
        return ids;
    }

    /** The destinations the config lists now: not missing (any count they had starts again when they go). */
    void present(Set<String> destinationIds) {
        since.keySet().removeAll(destinationIds);
    }
}
