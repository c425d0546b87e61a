package dev.eventpipe.router.status;

import dev.eventpipe.jobsdb.CrashRecovery;
import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.router.ordering.OrderKey;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** An rt job with the routing fields read from its parameters (the destination type is its custom_val). */
public record RtJob(
        Job job,
        String destinationId,
        OrderKey key,
        @Nullable Instant firstAttemptedAt) {

    public static RtJob of(Job job) {
        JsonNode params = Json.mapper().readTree(job.parameters());
        String destinationId = params.path("destination_id").asString("");
        return new RtJob(
                job, destinationId, new OrderKey(job.workspaceId(), destinationId, job.userId()), firstAttempt(job));
    }

    public long jobId() {
        return job.jobId();
    }

    public String destinationType() {
        return job.customVal();
    }

    public int partition() {
        return job.partition();
    }

    /** Attempts made so far (the attempt number of the last status). */
    public int attempts() {
        return job.attempts();
    }

    public @Nullable JobState lastState() {
        return job.lastStatus() == null ? null : job.lastStatus().state();
    }

    /**
     * Failed because a process stopped while it was executing ({@link CrashRecovery#RECOVERED_CODE}): it may never
     * have been sent, and no destination answered it.
     */
    public boolean recovered() {
        return lastState() == JobState.FAILED
                && CrashRecovery.RECOVERED_CODE.equals(job.lastStatus().errorCode());
    }

    /** The job this one is recorded as waiting behind, if its last status is {@code waiting}. */
    public @Nullable Long waitingBehind() {
        return lastState() == JobState.WAITING ? job.lastStatus().blockingJobId() : null;
    }

    private static @Nullable Instant firstAttempt(Job job) {
        return job.lastStatus() == null ? null : job.lastStatus().firstAttemptedAt();
    }
}
