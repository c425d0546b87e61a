package dev.eventpipe.model.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A configured destination of a source: its settings ({@code config}), its definition (type, display name,
 * supported message types) and the user transformations attached to it (the first one is used).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Destination(
        String id,
        String name,
        boolean enabled,
        String workspaceId,
        @JsonProperty("isProcessorEnabled") boolean isProcessorEnabled,
        String revisionId,
        Map<String, Object> config,
        DestinationDefinition destinationDefinition,
        List<TransformationRef> transformations) {

    public Destination {
        config = config == null ? Map.of() : config;
        transformations = transformations == null ? List.of() : List.copyOf(transformations);
        workspaceId = workspaceId == null ? "" : workspaceId;
        revisionId = revisionId == null ? "" : revisionId;
    }

    /** The destination type as RudderStack writes it ({@code WEBHOOK}, {@code AM}...): the definition's name. */
    public String type() {
        return destinationDefinition.name();
    }

    public Optional<TransformationRef> userTransformation() {
        return transformations.stream().findFirst();
    }
}
