package dev.eventpipe.router.stats;

import dev.eventpipe.jobsdb.JobState;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One counted result: a delivery attempt (succeeded, filtered, failed, aborted) or a drain (aborted).
 *
 * @param requestTime how long the HTTP request took, when one was made
 * @param lag time from the job's creation to this result
 * @param errorCode the status's error code (the destination's HTTP status, or the router's own code), "" if none
 */
public record Outcome(
        String workspaceId,
        String destinationId,
        String destinationType,
        JobState state,
        Instant at,
        @Nullable Duration requestTime,
        Duration lag,
        String errorCode) {

    /** An outcome without an error code. */
    public Outcome(
            String workspaceId,
            String destinationId,
            String destinationType,
            JobState state,
            Instant at,
            @Nullable Duration requestTime,
            Duration lag) {
        this(workspaceId, destinationId, destinationType, state, at, requestTime, lag, "");
    }
}
