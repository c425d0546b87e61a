package dev.eventpipe.configbackend.workspace;

import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Workspaces visible to the caller; instance admins create them, workspace admins rename and delete them. */
@RestController
class WorkspaceController {
    record WorkspaceRequest(@NotBlank @Size(max = 200) String name) {}

    private final Workspaces workspaces;
    private final WorkspaceRepository repository;
    private final WorkspaceAccess access;

    WorkspaceController(Workspaces workspaces, WorkspaceRepository repository, WorkspaceAccess access) {
        this.workspaces = workspaces;
        this.repository = repository;
        this.access = access;
    }

    @GetMapping("/api/v1/workspaces")
    List<Workspace> list() {
        return switch (access.caller()) {
            case Caller.Person p -> repository.findForUser(p.userId());
            case Caller.Automation a -> List.of(workspaces.get(a.workspaceId()));
            case Caller.DataPlane d -> List.of();
        };
    }

    @PostMapping("/api/v1/workspaces")
    @ResponseStatus(HttpStatus.CREATED)
    Workspace create(@Valid @RequestBody WorkspaceRequest request) {
        return workspaces.create(request.name().strip(), access.requireInstanceAdmin());
    }

    @GetMapping("/api/v1/workspaces/{workspaceId}")
    Workspace get(@PathVariable String workspaceId) {
        access.require(workspaceId, Role.VIEWER);
        return workspaces.get(workspaceId);
    }

    @PatchMapping("/api/v1/workspaces/{workspaceId}")
    Workspace rename(@PathVariable String workspaceId, @Valid @RequestBody WorkspaceRequest request) {
        Caller actor = access.require(workspaceId, Role.ADMIN);
        return workspaces.rename(workspaceId, request.name().strip(), actor);
    }

    @DeleteMapping("/api/v1/workspaces/{workspaceId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String workspaceId) {
        Caller actor = access.require(workspaceId, Role.ADMIN);
        workspaces.delete(workspaceId, actor);
    }
}
