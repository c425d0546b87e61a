package dev.eventpipe.jobsdb;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One row of a status table: what happened to a job at one moment. {@code errorResponse} is JSON text.
 *
 * @param firstAttemptedAt when the job was first attempted, as its writer recorded it (null: not recorded)
 * @param blockingJobId for a {@code waiting} job, the earlier job of its user it waits behind (null otherwise)
 */
public record JobStatus(
        JobState state,
        int attempt,
        Instant execTime,
        Instant retryTime,
        String errorCode,
        String errorResponse,
        @Nullable Instant firstAttemptedAt,
        @Nullable Long blockingJobId) {}
