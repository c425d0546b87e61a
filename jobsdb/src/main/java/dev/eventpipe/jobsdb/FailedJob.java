package dev.eventpipe.jobsdb;

import java.time.Instant;

/**
 * A failed or aborted job, without its payload, for a list: {@code lastStatus} is its latest status.
 * {@code retained}: read from the aborted jobs jobsdb keeps after their dataset is gone, not from the queue.
 */
public record FailedJob(
        long jobId,
        String workspaceId,
        String userId,
        String customVal,
        String parameters,
        Instant createdAt,
        JobStatus lastStatus,
        boolean retained) {}
