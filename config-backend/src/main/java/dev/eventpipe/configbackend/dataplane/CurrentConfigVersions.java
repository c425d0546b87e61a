package dev.eventpipe.configbackend.dataplane;

import dev.eventpipe.configbackend.access.DataPlaneProperties;
import dev.eventpipe.configbackend.workspace.Workspaces;
import dev.eventpipe.model.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The version of each config document the data plane can read now, by the scope a data-plane service reports in its
 * {@code /health} ({@code configScope}): {@code namespace:<name>} for the document of every workspace,
 * {@code workspace:<id>} for one workspace's. A version is the document's ETag (SHA-256 of the exact body, first 16
 * bytes in hex), which is also how the services name the config they run: equal means current.
 */
@Component
public class CurrentConfigVersions {
    private final WorkspaceConfigAssembler assembler;
    private final Workspaces workspaces;
    private final DataPlaneProperties dataPlane;

    CurrentConfigVersions(WorkspaceConfigAssembler assembler, Workspaces workspaces, DataPlaneProperties dataPlane) {
        this.assembler = assembler;
        this.workspaces = workspaces;
        this.dataPlane = dataPlane;
    }

    /** Assembles every document as the data-plane endpoints do and hashes it the same way. */
    public Map<String, String> versions() {
        Map<String, ConfigDocument> all = new LinkedHashMap<>();
        Map<String, String> versions = new LinkedHashMap<>();
        for (String id : workspaces.allIds()) {
            ConfigDocument document = assembler.assemble(id);
            all.put(id, document);
            versions.put("workspace:" + id, WorkspaceConfigController.sha256(Json.write(document)));
        }
        Map<String, String> result = new LinkedHashMap<>();
        result.put("namespace:" + dataPlane.namespace(), WorkspaceConfigController.sha256(Json.write(all)));
        result.putAll(versions);
        return result;
    }
}
