package dev.eventpipe.jobsdb;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Filters of {@link JobReads#failed}; null means "any". {@code from}/{@code to} bound the time of the latest
 * status ({@code to} excluded), {@code errorText} is searched case-insensitively in the latest error response,
 * {@code states} are the latest states listed (failed, aborted or both).
 */
public record FailedJobFilter(
        @Nullable String workspaceId,
        @Nullable String destinationId,
        @Nullable String errorCode,
        @Nullable Instant from,
        @Nullable Instant to,
        @Nullable String userId,
        @Nullable String errorText,
        List<JobState> states,
        int limit,
        int offset) {}
