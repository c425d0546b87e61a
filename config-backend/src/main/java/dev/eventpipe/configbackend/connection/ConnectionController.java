package dev.eventpipe.configbackend.connection;

import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Connections of a workspace: viewers read, editors write. */
@RestController
class ConnectionController {
    record ConnectionRequest(
            @NotBlank String sourceId,
            @NotBlank String destinationId,
            @Nullable Boolean enabled) {}

    record ConnectionPatch(@NotNull Boolean enabled) {}

    private static final String BASE = "/api/v1/workspaces/{workspaceId}/connections";

    private final Connections connections;
    private final WorkspaceAccess access;

    ConnectionController(Connections connections, WorkspaceAccess access) {
        this.connections = connections;
        this.access = access;
    }

    @GetMapping(BASE)
    List<Connection> list(@PathVariable String workspaceId) {
        access.require(workspaceId, Role.VIEWER);
        return connections.list(workspaceId);
    }

    @PostMapping(BASE)
    @ResponseStatus(HttpStatus.CREATED)
    Connection create(@PathVariable String workspaceId, @Valid @RequestBody ConnectionRequest request) {
        Caller actor = access.require(workspaceId, Role.EDITOR);
        boolean enabled = request.enabled() == null || request.enabled();
        return connections.create(workspaceId, request.sourceId(), request.destinationId(), enabled, actor);
    }

    @GetMapping(BASE + "/{connectionId}")
    Connection get(@PathVariable String workspaceId, @PathVariable String connectionId) {
        access.require(workspaceId, Role.VIEWER);
        return connections.get(workspaceId, connectionId);
    }

    @PatchMapping(BASE + "/{connectionId}")
    Connection update(
            @PathVariable String workspaceId,
            @PathVariable String connectionId,
            @Valid @RequestBody ConnectionPatch patch) {
        Caller actor = access.require(workspaceId, Role.EDITOR);
        return connections.setEnabled(connections.get(workspaceId, connectionId), patch.enabled(), actor);
    }

    @DeleteMapping(BASE + "/{connectionId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String workspaceId, @PathVariable String connectionId) {
        Caller actor = access.require(workspaceId, Role.EDITOR);
        connections.delete(connections.get(workspaceId, connectionId), actor);
    }
}
