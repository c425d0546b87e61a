package dev.eventpipe.gateway.ingest;

import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.model.config.Source;
import dev.eventpipe.model.event.RudderId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Enriches events and turns each into one gw job, exactly as reference §1.4: {@code rudderId}, {@code receivedAt}
 * (if absent), {@code request_ip} (if absent), {@code messageId} (cleaned, or a new UUID); payload
 * {@code {"batch":[event],"requestIP","writeKey","receivedAt"}}; user key {@code <AnonymousId header><<>>(anonymousId
 * or userId)<<>>userId}. Every other field of the event stays as sent, in its order.
 */
final class JobFactory {
    static final String DELIMITER = "<<>>";
    static final DateTimeFormatter RFC3339_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    private final JsonMapper mapper;

    JobFactory(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** The jobs of one request, in event order. */
    List<NewJob> jobs(Source source, RequestMeta meta, List<ParsedEvent> events, Instant now) {
        String receivedAt = RFC3339_MILLIS.format(now);
        String parameters = parameters(source, meta, events.getFirst().event());
        List<NewJob> jobs = new ArrayList<>(events.size());
        for (ParsedEvent parsed : events) {
            ObjectNode event = parsed.event();
            event.put(
                    "rudderId",
                    RudderId.of(parsed.userId(), parsed.anonymousId()).toString());
            if (!event.has("receivedAt")) event.put("receivedAt", receivedAt);
            String requestIp = meta.ip();
            JsonNode sentIp = event.get("request_ip");
            if (sentIp == null) event.put("request_ip", meta.ip());
            else if (sentIp.isString()) requestIp = sentIp.stringValue();
            event.put("messageId", messageId(event.get("messageId")));

            ObjectNode payload = mapper.createObjectNode();
            payload.putArray("batch").add(event);
            payload.put("requestIP", requestIp);
            payload.put("writeKey", source.writeKey());
            payload.put("receivedAt", receivedAt);
            jobs.add(NewJob.of(
                    userKey(meta.anonymousIdHeader(), parsed.anonymousId(), parsed.userId()),
                    source.workspaceId(),
                    "GW",
                    parameters,
                    mapper.writeValueAsString(payload)));
        }
        return jobs;
    }

    static String userKey(String header, String anonymousId, String userId) {
        return header + DELIMITER + (anonymousId.isEmpty() ? userId : anonymousId) + DELIMITER + userId;
    }

    private static String messageId(JsonNode sent) {
        String cleaned = sent != null && sent.isString() ? Identifiers.clean(sent.stringValue()) : "";
        return cleaned.isEmpty() ? UUID.randomUUID().toString() : cleaned;
    }

    // Job and task run ids come from the headers, or from the first event's context.sources (rETL and extract).
    private String parameters(Source source, RequestMeta meta, ObjectNode first) {
        JsonNode sources = first.path("context").path("sources");
        String jobRunId = nonEmpty(sources.path("job_run_id"), meta.jobRunId());
        String taskRunId = nonEmpty(sources.path("task_run_id"), meta.taskRunId());
        String category = source.sourceDefinition().category();
        ObjectNode p = mapper.createObjectNode();
        p.put("source_id", source.id());
        p.put("source_job_run_id", jobRunId);
        p.put("source_task_run_id", taskRunId);
        p.put("traceparent", meta.traceparent());
        p.put("source_category", category.isEmpty() ? "eventStream" : category);
        return mapper.writeValueAsString(p);
    }

    private static String nonEmpty(JsonNode value, String fallback) {
        return value.isString() && !value.stringValue().isEmpty() ? value.stringValue() : fallback;
    }
}
