package dev.eventpipe.configbackend.catalogue;

import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** One entry of the transformer's {@code GET /destinationDefinitions}. */
record DeclaredDefinition(
        String name,
        @Nullable String displayName,
        @Nullable JsonNode configSchema,
        @Nullable List<String> supportedMessageTypes,
        @Nullable List<String> secretKeys,
        @Nullable String transformAt,
        @Nullable JsonNode batching) {}
