package dev.eventpipe.processor.store;

import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.Source;
import dev.eventpipe.processor.pipeline.EventJson;
import dev.eventpipe.processor.pipeline.GwJob;
import dev.eventpipe.processor.pipeline.RoutedEvent;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * One rt (or batch_rt) job per transformer output: user id = the gw job's user id (the ordering key), custom_val
 * = the destination type, payload = the output exactly as the transformer returned it, parameters as
 * rudder-server's ParametersT (reference §3.1).
 */
final class RtJobs {
    private RtJobs() {}

    static NewJob of(RoutedEvent routed, String payload) {
        GwJob gw = routed.job();
        String userId = gw.job().userId().isEmpty()
                ? "random-" + UUID.randomUUID()
                : gw.job().userId();
        return NewJob.of(userId, gw.job().workspaceId(), routed.destination().type(), parameters(routed), payload);
    }

    static String parameters(RoutedEvent routed) {
        GwJob gw = routed.job();
        Source source = routed.source();
        Destination destination = routed.destination();
        ObjectNode m = routed.metadata();
        ObjectNode p = EventJson.MAPPER.createObjectNode();
        p.put("source_id", source.id());
        p.put("source_name", source.name());
        p.put("destination_id", destination.id());
        p.put("received_at", m.path("receivedAt").asString(""));
        p.put("transform_at", "processor");
        p.put("message_id", m.path("messageId").asString(""));
        p.put("gateway_job_id", gw.jobId());
        p.put("source_task_run_id", gw.param("source_task_run_id"));
        p.put("source_job_id", gw.param("source_job_id"));
        p.put("source_job_run_id", gw.param("source_job_run_id"));
        p.put("event_name", m.path("eventName").asString(""));
        p.put("event_type", m.path("eventType").asString(""));
        p.put("source_definition_id", source.sourceDefinition().id());
        p.put("destination_definition_id", destination.destinationDefinition().id());
        p.put("source_category", gw.param("source_category"));
        p.put("record_id", m.path("recordId").asString(""));
        p.put("workspaceId", gw.job().workspaceId());
        p.put("traceparent", gw.param("traceparent"));
        return p.toString();
    }
}
