package dev.eventpipe.jobsdb;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A status row to append for a job: made by a named factory for its state ({@link #executing}, {@link #failed},
 * {@link #waiting}, ...) or {@link #of}, then given what else it records with the {@code with...} methods. What the
 * router's retry rules and per-user order read back are fields stored in columns of their own, not keys of the
 * error document: {@link #firstAttemptedAt()} and, for a waiting job, {@link #blockingJobId()}.
 */
public final class StatusUpdate {
    private final long jobId;
    private final JobState state;
    private final int attempt;
    private final Instant execTime;
    private final Instant retryTime;
    private final String errorCode;
    private final String errorResponse;
    private final String parameters;
    private final @Nullable Instant firstAttemptedAt;
    private final @Nullable Long blockingJobId;

    private StatusUpdate(
            long jobId,
            JobState state,
            int attempt,
            Instant execTime,
            Instant retryTime,
            @Nullable String errorCode,
            @Nullable String errorResponse,
            @Nullable String parameters,
            @Nullable Instant firstAttemptedAt,
            @Nullable Long blockingJobId) {
        this.jobId = jobId;
        this.state = Objects.requireNonNull(state, "state");
        this.attempt = attempt;
        this.execTime = Objects.requireNonNull(execTime, "execTime");
        this.retryTime = Objects.requireNonNull(retryTime, "retryTime");
        this.errorCode = errorCode == null ? "" : errorCode;
        this.errorResponse = errorResponse == null || errorResponse.isBlank() ? "{}" : errorResponse;
        this.parameters = parameters == null || parameters.isBlank() ? "{}" : parameters;
        this.firstAttemptedAt = firstAttemptedAt;
        this.blockingJobId = blockingJobId;
    }

    /** A status in {@code state} at {@code now}, with no error and retry time now. */
    public static StatusUpdate of(long jobId, JobState state, int attempt, Instant now) {
        return new StatusUpdate(jobId, state, attempt, now, now, "", "{}", "{}", null, null);
    }

    /** Taken by a reader; {@code attempt} is the attempt it is about to make. */
    public static StatusUpdate executing(long jobId, int attempt, Instant now) {
        return of(jobId, JobState.EXECUTING, attempt, now);
    }

    public static StatusUpdate succeeded(long jobId, int attempt, Instant now) {
        return of(jobId, JobState.SUCCEEDED, attempt, now);
    }

    /** Failed, to be tried again from {@code retryAt}. */
    public static StatusUpdate failed(long jobId, int attempt, Instant now, Instant retryAt) {
        return new StatusUpdate(jobId, JobState.FAILED, attempt, now, retryAt, "", "{}", "{}", null, null);
    }

    public static StatusUpdate aborted(long jobId, int attempt, Instant now) {
        return of(jobId, JobState.ABORTED, attempt, now);
    }

    public static StatusUpdate filtered(long jobId, int attempt, Instant now) {
        return of(jobId, JobState.FILTERED, attempt, now);
    }

    /** Held behind an earlier unresolved job of the same user ({@code blockingJobId}; null: behind nothing named). */
    public static StatusUpdate waiting(long jobId, int attempt, Instant now, @Nullable Long blockingJobId) {
        return new StatusUpdate(jobId, JobState.WAITING, attempt, now, now, "", "{}", "{}", null, blockingJobId);
    }

    /** With this answer: a code and a document (JSON text, an object; stored as {@code jsonb}, made safe for it). */
    public StatusUpdate withResponse(@Nullable String code, @Nullable String response) {
        return new StatusUpdate(
                jobId,
                state,
                attempt,
                execTime,
                retryTime,
                code,
                response,
                parameters,
                firstAttemptedAt,
                blockingJobId);
    }

    public StatusUpdate withRetryTime(Instant retryAt) {
        return new StatusUpdate(
                jobId,
                state,
                attempt,
                execTime,
                retryAt,
                errorCode,
                errorResponse,
                parameters,
                firstAttemptedAt,
                blockingJobId);
    }

    /**
     * When the job was first attempted (null: not yet), kept from status to status by the writer. Kept to the
     * microsecond, the column's precision, so a read gives back exactly this.
     */
    public StatusUpdate withFirstAttemptedAt(@Nullable Instant first) {
        Instant kept = first == null ? null : first.truncatedTo(ChronoUnit.MICROS);
        return new StatusUpdate(
                jobId, state, attempt, execTime, retryTime, errorCode, errorResponse, parameters, kept, blockingJobId);
    }

    /** With these status parameters (JSON text, an object). */
    public StatusUpdate withParameters(@Nullable String json) {
        return new StatusUpdate(
                jobId,
                state,
                attempt,
                execTime,
                retryTime,
                errorCode,
                errorResponse,
                json,
                firstAttemptedAt,
                blockingJobId);
    }

    public long jobId() {
        return jobId;
    }

    public JobState state() {
        return state;
    }

    public int attempt() {
        return attempt;
    }

    public Instant execTime() {
        return execTime;
    }

    public Instant retryTime() {
        return retryTime;
    }

    public String errorCode() {
        return errorCode;
    }

    /** JSON text (an object). */
    public String errorResponse() {
        return errorResponse;
    }

    /** JSON text (an object). */
    public String parameters() {
        return parameters;
    }

    public @Nullable Instant firstAttemptedAt() {
        return firstAttemptedAt;
    }

    public @Nullable Long blockingJobId() {
        return blockingJobId;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof StatusUpdate u
                && jobId == u.jobId
                && state == u.state
                && attempt == u.attempt
                && execTime.equals(u.execTime)
                && retryTime.equals(u.retryTime)
                && errorCode.equals(u.errorCode)
                && errorResponse.equals(u.errorResponse)
                && parameters.equals(u.parameters)
                && Objects.equals(firstAttemptedAt, u.firstAttemptedAt)
                && Objects.equals(blockingJobId, u.blockingJobId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, state, attempt, execTime, retryTime, errorCode, errorResponse, parameters);
    }

    @Override
    public String toString() {
        return "StatusUpdate[jobId=" + jobId + ", state=" + state + ", attempt=" + attempt + ", execTime=" + execTime
                + ", retryTime=" + retryTime + ", errorCode=" + errorCode + ", errorResponse=" + errorResponse
                + ", parameters=" + parameters + ", firstAttemptedAt=" + firstAttemptedAt + ", blockingJobId="
                + blockingJobId + "]";
    }
}
