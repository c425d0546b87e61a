package dev.eventpipe.processor.store;

import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.Source;
import dev.eventpipe.processor.pipeline.GwJob;
import dev.eventpipe.processor.pipeline.JsonText;
import dev.eventpipe.processor.pipeline.RoutedEvent;
import dev.eventpipe.processor.pipeline.TimeText;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

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

    /**
     * The parameters, written straight to the generator (issue 16; they were an {@code ObjectNode} serialised):
     * the same keys in the same order, the same text ({@code RtJobsTest} holds it to the tree's). The event's
     * values are read from the message, as the transformer metadata reads them.
     */
    static String parameters(RoutedEvent routed) {
        GwJob gw = routed.job();
        Source source = routed.source();
        Destination destination = routed.destination();
        JsonNode message = routed.message();
        return JsonText.write((g, ctxt) -> {
            g.writeStartObject();
            g.writeStringProperty("source_id", source.id());
            g.writeStringProperty("source_name", source.name());
            g.writeStringProperty("destination_id", destination.id());
            g.writeStringProperty("received_at", TimeText.format(gw.receivedAt()));
            g.writeStringProperty("transform_at", "processor");
            g.writeStringProperty("message_id", message.path("messageId").asString(""));
            g.writeNumberProperty("gateway_job_id", gw.jobId());
            g.writeStringProperty("source_task_run_id", gw.param("source_task_run_id"));
            g.writeStringProperty("source_job_id", gw.param("source_job_id"));
            g.writeStringProperty("source_job_run_id", gw.param("source_job_run_id"));
            g.writeStringProperty("event_name", message.path("event").asString(""));
            g.writeStringProperty("event_type", message.path("type").asString(""));
            g.writeStringProperty(
                    "source_definition_id", source.sourceDefinition().id());
            g.writeStringProperty(
                    "destination_definition_id",
                    destination.destinationDefinition().id());
            g.writeStringProperty("source_category", gw.param("source_category"));
            g.writeStringProperty("record_id", message.path("recordId").asString(""));
            g.writeStringProperty("workspaceId", gw.job().workspaceId());
            g.writeStringProperty("traceparent", gw.param("traceparent"));
            g.writeEndObject();
        });
    }
}
