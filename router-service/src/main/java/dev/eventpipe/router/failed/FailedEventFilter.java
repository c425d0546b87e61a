package dev.eventpipe.router.failed;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Filters of the failed-events list; null means "any". {@code from}/{@code to} bound the time of the latest status,
 * {@code q} is searched (case-insensitively) in the latest error response.
 */
record FailedEventFilter(
        @Nullable String workspaceId,
        @Nullable String destinationId,
        @Nullable String statusCode,
        @Nullable Instant from,
        @Nullable Instant to,
        @Nullable String userId,
        @Nullable String q,
        List<String> states,
        int limit,
        int offset) {}
