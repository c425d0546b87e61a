package dev.eventpipe.model.config;

import dev.eventpipe.model.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a config document in either of RudderStack's shapes: one workspace's config (the body of
 * {@code GET /workspaceConfig}, a {@code workspaceConfig.json} file) or the namespace shape, an object of
 * workspace id to config (the body of {@code GET /data-plane/v1/namespaces/{namespace}/config}). A document with
 * {@code sources} or {@code workspaceId} at its top is one workspace; any other object is the namespace shape.
 */
public final class WorkspaceConfigs {
    private WorkspaceConfigs() {}

    /**
     * @throws IllegalArgumentException when the document is neither shape (a namespace entry that is not an object:
     *     RudderStack's incremental updates send {@code null} for "unchanged", which this suite never asks for)
     */
    public static List<WorkspaceConfig> parse(byte[] json) {
        JsonNode root = Json.mapper().readTree(json);
        if (!(root instanceof ObjectNode object)) throw new IllegalArgumentException("not a JSON object");
        if (object.has("sources") || object.has("workspaceId")) {
            return List.of(Json.mapper().treeToValue(object, WorkspaceConfig.class));
        }
        List<WorkspaceConfig> configs = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            if (!(entry.getValue() instanceof ObjectNode workspace)) {
                throw new IllegalArgumentException("workspace " + entry.getKey() + " is not an object");
            }
            if (!workspace.hasNonNull("workspaceId")) workspace.put("workspaceId", entry.getKey());
            WorkspaceConfig config = Json.mapper().treeToValue(workspace, WorkspaceConfig.class);
            if (!config.workspaceId().equals(entry.getKey())) {
                throw new IllegalArgumentException(
                        "workspace " + entry.getKey() + " carries workspaceId " + config.workspaceId());
            }
            configs.add(config);
        }
        return configs;
    }
}
