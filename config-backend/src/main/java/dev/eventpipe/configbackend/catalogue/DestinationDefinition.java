package dev.eventpipe.configbackend.catalogue;

import dev.eventpipe.model.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;
import tools.jackson.databind.JsonNode;

/**
 * A destination type in the catalogue. {@code name} is the type key ({@code WEBHOOK}); {@code configSchema} the
 * JSON Schema of a destination's config; {@code secretKeys} dotted paths of secret fields (RudderStack's
 * {@code secretKeys}, e.g. {@code headers.to}). JSON documents are kept as text.
 */
@Table("cp_destination_definition")
public record DestinationDefinition(
        @Id String id,
        String name,
        String displayName,
        String configSchema,
        @Nullable String supportedMessageTypes,
        String secretKeys,
        String transformAt,
        @Nullable String batching,
        String origin,
        Instant updatedAt) {

    public JsonNode schema() {
        return Json.mapper().readTree(configSchema);
    }

    public @Nullable List<String> messageTypes() {
        return supportedMessageTypes == null ? null : strings(supportedMessageTypes);
    }

    /** Declared secret keys plus schema properties marked {@code "secret": true} (nested objects included). */
    public List<String> secretPaths() {
        List<String> paths = new ArrayList<>(strings(secretKeys));
        collectSecretProperties(schema(), "", paths);
        return paths.stream().distinct().toList();
    }

    private static void collectSecretProperties(JsonNode schema, String prefix, List<String> paths) {
        JsonNode node = schema.has("items") ? schema.get("items") : schema;
        JsonNode properties = node.get("properties");
        if (properties == null || !properties.isObject()) return;
        for (var entry : properties.properties()) {
            String path = prefix + entry.getKey();
            if (entry.getValue().path("secret").asBoolean(false)) paths.add(path);
            collectSecretProperties(entry.getValue(), path + ".", paths);
        }
    }

    private static List<String> strings(String jsonArray) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : Json.mapper().readTree(jsonArray)) out.add(item.asString());
        return out;
    }
}
