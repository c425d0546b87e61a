package dev.eventpipe.model.config;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A destination as rudder-server sends it to the transformer: its Go struct field names ({@code ID},
 * {@code Config}, {@code DestinationDefinition.Name}, {@code Transformations[0].VersionID}...), which is what
 * rudder-transformer's code reads. The processor sends it with every event, the router with every batch.
 */
public final class DestinationJson {
    private DestinationJson() {}

    public static ObjectNode full(Destination d, JsonMapper mapper) {
        ObjectNode out = mapper.createObjectNode();
        out.put("ID", d.id());
        out.put("Name", d.name());
        DestinationDefinition def = d.destinationDefinition();
        ObjectNode definition = out.putObject("DestinationDefinition");
        definition.put("ID", def.id());
        definition.put("Name", def.name());
        definition.put("DisplayName", def.displayName());
        definition.set("Config", mapper.valueToTree(def.config()));
        out.set("Config", mapper.valueToTree(d.config()));
        out.put("Enabled", d.enabled());
        out.put("WorkspaceID", d.workspaceId());
        out.set("Transformations", transformations(d, mapper));
        out.put("IsProcessorEnabled", d.isProcessorEnabled());
        out.put("RevisionID", d.revisionId());
        return out;
    }

    /** The user-transformation form: only the transformations (rudder-server prunes the rest). */
    public static ObjectNode pruned(Destination d, JsonMapper mapper) {
        ObjectNode out = mapper.createObjectNode();
        out.put("ID", d.id());
        out.set("Transformations", transformations(d, mapper));
        return out;
    }

    private static ArrayNode transformations(Destination d, JsonMapper mapper) {
        ArrayNode list = mapper.createArrayNode();
        for (TransformationRef t : d.transformations()) {
            ObjectNode item = list.addObject();
            item.put("VersionID", t.versionId());
            item.put("ID", t.id());
            item.set("Config", mapper.valueToTree(t.config()));
        }
        return list;
    }
}
