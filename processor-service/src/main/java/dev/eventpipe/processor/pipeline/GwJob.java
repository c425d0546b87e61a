package dev.eventpipe.processor.pipeline;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.model.json.Json;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A gw job as the gateway wrote it (reference §1.4), parsed once: {@code {"batch":[event],"requestIP",
 * "writeKey","receivedAt"}} with parameters {@code {source_id, source_job_run_id, ...}}.
 *
 * @param invalid why the job cannot be processed (bad JSON, no source id), or null
 */
public record GwJob(
        Job job,
        String sourceId,
        String requestIp,
        OffsetDateTime receivedAt,
        List<ObjectNode> events,
        JsonNode parameters,
        @Nullable String invalid) {

    public static GwJob parse(Job job) {
        JsonNode parameters;
        JsonNode payload;
        try {
            parameters = EventJson.MAPPER.readTree(job.parameters());
            payload = EventJson.MAPPER.readTree(job.payload());
        } catch (RuntimeException e) {
            return invalid(job, "payload or parameters are not JSON");
        }
        String sourceId = parameters.path("source_id").asString("");
        if (sourceId.isEmpty()) return invalid(job, "no source_id in the job parameters");
        List<ObjectNode> events = new ArrayList<>();
        for (JsonNode e : payload.path("batch")) if (e instanceof ObjectNode o) events.add(o);
        if (events.isEmpty()) return invalid(job, "the job has no event");
        OffsetDateTime receivedAt = TimeText.parse(payload.path("receivedAt"))
                .orElse(job.createdAt().atOffset(ZoneOffset.UTC));
        return new GwJob(job, sourceId, payload.path("requestIP").asString(""), receivedAt, events, parameters, null);
    }

    /** A job that cannot be processed, for {@code reason}: it is aborted with it. */
    static GwJob invalid(Job job, String reason) {
        return new GwJob(
                job,
                "",
                "",
                job.createdAt().atOffset(ZoneOffset.UTC),
                List.of(),
                Json.mapper().createObjectNode(),
                reason);
    }

    public long jobId() {
        return job.jobId();
    }

    public String param(String name) {
        return parameters.path(name).asString("");
    }
}
