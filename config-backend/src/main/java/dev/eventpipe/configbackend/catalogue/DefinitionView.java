package dev.eventpipe.configbackend.catalogue;

import dev.eventpipe.model.json.Json;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** A catalogue entry as the API shows it, JSON documents parsed. */
record DefinitionView(
        String id,
        String name,
        String displayName,
        JsonNode configSchema,
        @Nullable List<String> supportedMessageTypes,
        List<String> secretKeys,
        String transformAt,
        @Nullable JsonNode batching,
        String origin,
        Instant updatedAt) {

    static DefinitionView of(DestinationDefinition d) {
        return new DefinitionView(
                d.id(),
                d.name(),
                d.displayName(),
                d.schema(),
                d.messageTypes(),
                d.secretPaths(),
                d.transformAt(),
                d.batching() == null ? null : Json.mapper().readTree(d.batching()),
                d.origin(),
                d.updatedAt());
    }
}
