package dev.eventpipe.processor;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
        ObjectNode p = Json.mapper().createObjectNode();
        p.put("source_id", sourceId);
        p.put("source_job_run_id", "");
        p.put("source_task_run_id", "");
        p.put("traceparent", "");
        p.put("source_category", "eventStream");
        String user = anonymousId + "<<>>" + (anonymousId.isEmpty() ? userId : anonymousId) + "<<>>" + userId;
        jobs.add(NewJob.of(user, "ws-1", "GW", p.toString(), payload.toString()));
        return this;
    }

    public List<Long> store(JobsDbs jobsDbs) {
        return jobsDbs.queue(Queue.GW).store(jobs);
    }
}
