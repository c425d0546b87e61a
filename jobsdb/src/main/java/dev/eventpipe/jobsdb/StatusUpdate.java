package dev.eventpipe.jobsdb;

import java.time.Instant;

/**
 * A status row to append for a job.
 *
 * @param errorResponse JSON text (an object); stored as {@code jsonb}, with {@code \u0000} replaced since jsonb
 *     cannot hold it
 * @param parameters JSON text (an object)
 */
public record StatusUpdate(
        long jobId,
        JobState state,
        int attempt,
        Instant execTime,
        Instant retryTime,
        String errorCode,
        String errorResponse,
        String parameters) {

    public StatusUpdate {
        errorCode = errorCode == null ? "" : errorCode;
        errorResponse = errorResponse == null || errorResponse.isBlank() ? "{}" : errorResponse;
        parameters = parameters == null || parameters.isBlank() ? "{}" : parameters;
    }

    /** A status with no error, retry time now. */
    public static StatusUpdate of(long jobId, JobState state, int attempt, Instant now) {
        return new StatusUpdate(jobId, state, attempt, now, now, "", "{}", "{}");
    }
}
