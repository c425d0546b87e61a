package dev.eventpipe.processor;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes gw jobs the way the gateway does (reference §1.4): one job per event, payload
 * {@code {"batch":[event],"requestIP","writeKey","receivedAt"}}, user id {@code <header><<>>anonymousId<<>>userId},
 * custom_val GW, parameters {@code {source_id, source_job_run_id, source_task_run_id, traceparent,
 * source_category}}.
 */
public final class GwJobs {
    public static final String RECEIVED_AT = "2026-11-26T10:00:00.000Z";

    private final List<NewJob> jobs = new ArrayList<>();

    public static GwJobs create() {
        return new GwJobs();
    }

    /**
     * {@code perUser} track events of each of {@code users} users ({@code user-0} ...) of a source, interleaved
     * (every user's event {@code seq} before anyone's {@code seq + 1}), each with {@code properties.seq}.
     */
    public static GwJobs interleaved(String sourceId, String writeKey, int users, int perUser) {
        return interleaved(
                sourceId,
                writeKey,
                IntStream.range(0, users).mapToObj(u -> "user-" + u).toList(),
                perUser);
    }

    /** As {@link #interleaved(String, String, int, int)}, for these anonymous users. */
    public static GwJobs interleaved(String sourceId, String writeKey, List<String> anonymousIds, int perUser) {
        GwJobs jobs = create();
        for (int seq = 0; seq < perUser; seq++)
            for (String anonymousId : anonymousIds) {
                ObjectNode e = track(anonymousId, "step");
                e.putObject("properties").put("seq", seq);
                jobs.add(sourceId, writeKey, e);
            }
        return jobs;
    }

    /** The gw {@code user_id} of an anonymous user's events, as the gateway writes it (see {@link #add}). */
    public static String userOf(String anonymousId) {
        return anonymousId + "<<>>" + anonymousId + "<<>>";
    }

    public static ObjectNode track(String anonymousId, String name) {
        ObjectNode e = Json.mapper().createObjectNode();
        e.put("type", "track");
        e.put("event", name);
        e.put("anonymousId", anonymousId);
        e.put("messageId", UUID.randomUUID().toString());
        e.put("rudderId", UUID.randomUUID().toString());
        return e;
    }

    public GwJobs add(String sourceId, String writeKey, ObjectNode event) {
        String anonymousId = event.path("anonymousId").asString("");
        String userId = event.path("userId").asString("");
        ObjectNode payload = Json.mapper().createObjectNode();
        payload.putArray("batch").add(event);
        payload.put("requestIP", "10.1.2.3");
        payload.put("writeKey", writeKey);
        payload.put("receivedAt", RECEIVED_AT);
        String user = anonymousId + "<<>>" + (anonymousId.isEmpty() ? userId : anonymousId) + "<<>>" + userId;
        jobs.add(NewJob.of(user, "ws-1", "GW", parameters(sourceId), payload.toString()));
        return this;
    }

    /**
     * As {@link #add}, for an event given as JSON text (one the shared mapper could not write, such as an event
     * nested deeper than its limit) of an anonymous user.
     */
    public GwJobs addText(String sourceId, String writeKey, String anonymousId, String eventJson) {
        ObjectNode envelope = Json.mapper().createObjectNode();
        envelope.put("requestIP", "10.1.2.3");
        envelope.put("writeKey", writeKey);
        envelope.put("receivedAt", RECEIVED_AT);
        String rest = envelope.toString();
        String payload = "{\"batch\":[" + eventJson + "]," + rest.substring(1);
        jobs.add(NewJob.of(anonymousId + "<<>>" + anonymousId + "<<>>", "ws-1", "GW", parameters(sourceId), payload));
        return this;
    }

    private static String parameters(String sourceId) {
        ObjectNode p = Json.mapper().createObjectNode();
        p.put("source_id", sourceId);
        p.put("source_job_run_id", "");
        p.put("source_task_run_id", "");
        p.put("traceparent", "");
        p.put("source_category", "eventStream");
        return p.toString();
    }

    public List<Long> store(JobsDbs jobsDbs) {
        return jobsDbs.queue(Queue.GW).store(jobs);
    }
}
