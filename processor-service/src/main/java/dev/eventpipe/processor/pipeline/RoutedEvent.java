package dev.eventpipe.processor.pipeline;

import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.Source;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * One event on its way to one destination: the message (time fields set), the transformer metadata, and, once
 * transformed, the destination payloads (usually one; a user transformation may return several).
 */
public final class RoutedEvent {
    private final GwJob job;
    private final Source source;
    private final Destination destination;
    private final ObjectNode message;
    private final ObjectNode metadata;
    private final List<String> outputs = new ArrayList<>();

    public RoutedEvent(GwJob job, Source source, Destination destination, ObjectNode message, ObjectNode metadata) {
        this.job = job;
        this.source = source;
        this.destination = destination;
        this.message = message;
        this.metadata = metadata;
    }

    public GwJob job() {
        return job;
    }

    public Source source() {
        return source;
    }

    public Destination destination() {
        return destination;
    }

    public ObjectNode message() {
        return message;
    }

    public ObjectNode metadata() {
        return metadata;
    }

    public String messageId() {
        return metadata.path("messageId").asString("");
    }

    /** Correlates transformer answers with inputs, as rudder-server does: the job id and the messageId. */
    public String key() {
        return job.jobId() + "/" + messageId();
    }

    public void addOutput(String payloadJson) {
        outputs.add(payloadJson);
    }

    public List<String> outputs() {
        return outputs;
    }
}
