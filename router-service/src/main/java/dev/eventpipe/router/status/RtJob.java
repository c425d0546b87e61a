package dev.eventpipe.router.status;

import dev.eventpipe.jobsdb.CrashRecovery;
import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.router.ordering.OrderKey;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/** An rt job with the routing fields read from its parameters (the destination type is its custom_val). */
public record RtJob(
        Job job,
        String destinationId,
        OrderKey key,
        @Nullable Instant firstAttemptedAt) {

    /** A job whose destination is read from its parameters. */
    public static RtJob of(Job job) {
        return of(job, destinationId(job.parameters()));
    }

    /**
     * A job read for one destination ({@code JobQuery.destination}): jobsdb returned it because its parameters'
     * {@code destination_id}, as PostgreSQL reads it ({@code parameters->>'destination_id'}), is that destination's
     * id, so the parameters are not read again here (issue 16: streaming each job's parameters for it was 6-7 % of the
     * router's CPU samples in whole-suite profiles). For a string, the only kind the processor writes, it is the id
     * {@link #of(Job)} reads; for an integer or a boolean too ({@code RtJobTest}). PostgreSQL's text of a decimal, an object or an array is
     * not what the tree reads (which gives {@code 1.5} for {@code 1.50}, "" for an object): such a job now counts as
     * the destination whose read returned it, as the status reads that key its user's order already do
     * ({@code JobsDb.firstUnresolved}).
     */
    public static RtJob of(Job job, String destinationId) {
        return new RtJob(
                job, destinationId, new OrderKey(job.workspaceId(), destinationId, job.userId()), firstAttempt(job));
    }

    /**
     * The parameters' {@code destination_id} as the tree reads it ({@code path("destination_id").asString("")}),
     * found by streaming over the parameters instead of building their tree (the router reads every rt job's
     * parameters, some twice; the tree was 7 % of its CPU in a whole-suite profile). Only a plain string, met once,
     * is taken from the stream; anything else (a number, an object, a name given twice) is left to the tree.
     */
    static String destinationId(String parameters) {
        String found = null;
        try (JsonParser parser = Json.mapper().createParser(parameters)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) return fromTree(parameters);
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                boolean wanted = "destination_id".equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (!wanted) {
                    parser.skipChildren();
                    continue;
                }
                if (found != null || value != JsonToken.VALUE_STRING) return fromTree(parameters);
                found = parser.getString();
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null)
                return fromTree(parameters);
        }
        return found == null ? "" : found;
    }

    private static String fromTree(String parameters) {
        JsonNode params = Json.mapper().readTree(parameters);
        return params.path("destination_id").asString("");
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
