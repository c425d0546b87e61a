package dev.eventpipe.processor.pipeline;

import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * One event on its way to one destination: the message (time fields set), the transformer metadata, and, once
 * transformed, the destination payloads (usually one; a user transformation may return several).
 *
 * <p>The message is shared by the event's destinations and shares its nested nodes with the gw job's event (which
 * the archive line writes as it came): read it, never change it; a stage that must change it changes a copy. The
 * metadata is built when first asked for, i.e. only for events sent to the transformer.
 */
public final class RoutedEvent {
    private final GwJob job;
    private final Source source;
    private final Destination destination;
    private final ObjectNode message;
    private final Supplier<ObjectNode> metadataOf;
    private @Nullable ObjectNode metadata;
    private final List<String> outputs = new ArrayList<>();

    public RoutedEvent(
            GwJob job, Source source, Destination destination, ObjectNode message, Supplier<ObjectNode> metadata) {
        this.job = job;
        this.source = source;
        this.destination = destination;
        this.message = message;
        this.metadataOf = metadata;
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

    /** The transformer metadata (built on the first call; a batch's stages run on one thread at a time). */
    public ObjectNode metadata() {
        if (metadata == null) metadata = metadataOf.get();
        return metadata;
    }

    /** The message's {@code messageId} (its metadata's {@code messageId}). */
    public String messageId() {
        return message.path("messageId").asString("");
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
