package dev.eventpipe.configbackend.dataplane;

import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.DataPlaneProperties;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import dev.eventpipe.configbackend.workspace.Workspaces;
import dev.eventpipe.model.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /data-plane/v1/namespaces/{namespace}/config}: every workspace's config, as an object of workspace id
 * to RudderStack's workspace config (rs:backend-config/namespace_config.go reads this shape), for a data plane that
 * serves every workspace. Basic auth with the instance-wide secret ({@code HOSTED_SERVICE_SECRET}) as user name; a
 * workspace token gets 403, another namespace 404. The ETag is a hash of the body, so an unchanged instance costs a
 * 304; RudderStack's incremental {@code updatedAfter} is not offered (the whole document is sent on a change).
 */
@RestController
class NamespaceConfigController {
    private final WorkspaceConfigAssembler assembler;
    private final Workspaces workspaces;
    private final WorkspaceAccess access;
    private final DataPlaneProperties dataPlane;

    NamespaceConfigController(
            WorkspaceConfigAssembler assembler,
            Workspaces workspaces,
            WorkspaceAccess access,
            DataPlaneProperties dataPlane) {
        this.assembler = assembler;
        this.workspaces = workspaces;
        this.access = access;
        this.dataPlane = dataPlane;
    }

    @GetMapping("/data-plane/v1/namespaces/{namespace}/config")
    ResponseEntity<byte[]> namespaceConfig(@PathVariable String namespace) {
        if (!(access.caller() instanceof Caller.DataPlane caller) || !caller.everyWorkspace())
            return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
        if (!namespace.equals(dataPlane.namespace()))
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        Map<String, ConfigDocument> all = new LinkedHashMap<>();
        for (String id : workspaces.allIds()) all.put(id, assembler.assemble(id));
        return WorkspaceConfigController.withEtag(Json.write(all));
    }
}
