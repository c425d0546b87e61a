package dev.eventpipe.processor.transform;

import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.DestinationDefinition;
import dev.eventpipe.model.config.TransformationRef;
import dev.eventpipe.processor.pipeline.EventJson;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A destination as rudder-server sends it to the transformer: its Go struct field names ({@code ID},
 * {@code Config}, {@code DestinationDefinition.Name}, {@code Transformations[0].VersionID}...), which is what
 * rudder-transformer's code reads.
 */
final class DestinationJson {
    private DestinationJson() {}

    static ObjectNode full(Destination d) {
        ObjectNode out = EventJson.MAPPER.createObjectNode();
        out.put("ID", d.id());
        out.put("Name", d.name());
        DestinationDefinition def = d.destinationDefinition();
        ObjectNode definition = out.putObject("DestinationDefinition");
        definition.put("ID", def.id());
        definition.put("Name", def.name());
        definition.put("DisplayName", def.displayName());
        definition.set("Config", EventJson.MAPPER.valueToTree(def.config()));
        out.set("Config", EventJson.MAPPER.valueToTree(d.config()));
        out.put("Enabled", d.enabled());
        out.put("WorkspaceID", d.workspaceId());
        out.set("Transformations", transformations(d));
        out.put("IsProcessorEnabled", d.isProcessorEnabled());
        out.put("RevisionID", d.revisionId());
        return out;
    }

    /** The user-transformation form: only the transformations (rudder-server prunes the rest). */
    static ObjectNode pruned(Destination d) {
        ObjectNode out = EventJson.MAPPER.createObjectNode();
        out.put("ID", d.id());
        out.set("Transformations", transformations(d));
        return out;
    }

    private static ArrayNode transformations(Destination d) {
        ArrayNode list = EventJson.MAPPER.createArrayNode();
        for (TransformationRef t : d.transformations()) {
            ObjectNode item = list.addObject();
            item.put("VersionID", t.versionId());
            item.put("ID", t.id());
            item.set("Config", EventJson.MAPPER.valueToTree(t.config()));
        }
        return list;
    }
}
