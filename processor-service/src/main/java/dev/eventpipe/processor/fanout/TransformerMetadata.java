package dev.eventpipe.processor.fanout;

import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.Source;
import dev.eventpipe.model.config.TransformationRef;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.processor.pipeline.GwJob;
import dev.eventpipe.processor.pipeline.TimeText;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code metadata} sent with each event to the transformer, with the keys of reference §3.3. rudder-server
 * sets {@code rudderId} to the gw job's user id (the ordering key), not the event's rudderId field; so do we.
 */
final class TransformerMetadata {
    private TransformerMetadata() {}

    static ObjectNode of(GwJob job, Source source, Destination destination, ObjectNode message) {
        ObjectNode m = Json.mapper().createObjectNode();
        m.put("jobId", job.jobId());
        m.put("workspaceId", job.job().workspaceId());
        m.put("rudderId", job.job().userId());
        m.put("receivedAt", TimeText.format(job.receivedAt()));
        m.put("partitionId", Integer.toString(job.job().partition()));
        m.put("messageId", message.path("messageId").asString(""));
        m.put("eventName", message.path("event").asString(""));
        m.put("eventType", message.path("type").asString(""));
        m.put("sourceId", source.id());
        m.put("originalSourceId", source.originalId() == null ? "" : source.originalId());
        m.put("sourceDefinitionId", source.sourceDefinition().id());
        m.put("sourceName", source.name());
        m.put("sourceType", source.sourceDefinition().name());
        m.put("sourceCategory", job.param("source_category"));
        m.put("sourceJobId", job.param("source_job_id"));
        m.put("sourceJobRunId", job.param("source_job_run_id"));
        m.put("sourceTaskRunId", job.param("source_task_run_id"));
        m.put("recordId", message.path("recordId").asString(""));
        m.put("traceparent", job.param("traceparent"));
        m.put("destinationId", destination.id());
        m.put("originalDestinationId", destination.id());
        m.put("destinationName", destination.name());
        m.put("destinationType", destination.type());
        m.put("destinationDefinitionId", destination.destinationDefinition().id());
        TransformationRef transformation = destination.userTransformation().orElse(null);
        m.put("transformationId", transformation == null ? "" : transformation.id());
        m.put("transformationVersionId", transformation == null ? "" : transformation.versionId());
        return m;
    }
}
