package dev.eventpipe.configbackend.dataplane;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The workspace config in RudderStack's {@code workspaceConfig.json} shape (rs:backend-config/types.go), field for
 * field as the data plane reads it. Built fresh for every request by {@link WorkspaceConfigAssembler}.
 */
record ConfigDocument(
        String workspaceId,
        String updatedAt,
        List<SourceDoc> sources,
        Map<String, ConnectionDoc> connections,
        List<Object> libraries,
        Map<String, Object> credentials,
        Map<String, Object> settings,
        boolean enableMetrics) {

    record SourceDoc(
            String id,
            String originalId,
            String name,
            String writeKey,
            boolean enabled,
            String workspaceId,
            JsonNode config,
            @JsonProperty("transient") boolean isTransient,
            SourceDefinitionDoc sourceDefinition,
            List<DestinationDoc> destinations) {}

    record SourceDefinitionDoc(String id, String name, String displayName, String category, String type) {}

    record DestinationDoc(
            String id,
            String originalId,
            String name,
            boolean enabled,
            String workspaceId,
            @JsonProperty("isProcessorEnabled") boolean processorEnabled,
            String revisionId,
            JsonNode config,
            DefinitionDoc destinationDefinition,
            List<TransformationDoc> transformations) {}

    record DefinitionDoc(String id, String name, String displayName, DefinitionConfigDoc config) {}

    /** {@code destConfig.defaultConfig} lists the schema's top-level fields, as RudderStack's definitions do. */
    record DefinitionConfigDoc(
            Map<String, List<String>> destConfig,
            @Nullable List<String> supportedMessageTypes,
            List<String> secretKeys,
            String transformAtV1) {}

    record TransformationDoc(String id, String versionId, String language, Map<String, Object> config) {}

    record ConnectionDoc(
            String sourceId,
            String destinationId,
            boolean enabled,
            Map<String, Object> config,
            boolean processorEnabled) {}
}
