package dev.eventpipe.configbackend.transformation;

import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Transformations of a workspace. Creating one saves its code as version 1; {@code POST .../versions} saves the next
 * version; versions have no update or delete route. {@code GET .../diff?from=&to=} answers two versions side by side.
 */
@RestController
class TransformationController {
    record TransformationRequest(
            @NotBlank @Size(max = 200) String name,
            @Nullable String description,
            @Nullable String language,
            @NotNull String code) {}

    record TransformationPatch(
            @Nullable @Size(min = 1, max = 200) String name,
            @Nullable String description) {}

    record CodeRequest(@NotNull String code) {}

    record TransformationView(
            String id,
            String workspaceId,
            String name,
            String description,
            String language,
            @Nullable TransformationVersion latestVersion,
            Instant createdAt,
            Instant updatedAt) {}

    record VersionPair(TransformationVersion from, TransformationVersion to) {}

    private static final String BASE = "/api/v1/workspaces/{workspaceId}/transformations";

    private final Transformations transformations;
    private final WorkspaceAccess access;

    TransformationController(Transformations transformations, WorkspaceAccess access) {
        this.transformations = transformations;
        this.access = access;
    }

    @GetMapping(BASE)
    List<TransformationView> list(@PathVariable String workspaceId) {
        access.require(workspaceId, Role.VIEWER);
        return transformations.list(workspaceId).stream().map(this::view).toList();
    }

    @PostMapping(BASE)
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    TransformationView create(@PathVariable String workspaceId, @Valid @RequestBody TransformationRequest request) {
        Caller actor = access.require(workspaceId, Role.EDITOR);
        Transformation t = transformations.create(
                workspaceId,
                request.name().strip(),
                request.description() == null ? "" : request.description(),
                request.language() == null ? "javascript" : request.language(),
                actor);
        transformations.addVersion(t, request.code(), actor);
        return view(transformations.get(workspaceId, t.id()));
    }

    @GetMapping(BASE + "/{transformationId}")
    TransformationView get(@PathVariable String workspaceId, @PathVariable String transformationId) {
        access.require(workspaceId, Role.VIEWER);
        return view(transformations.get(workspaceId, transformationId));
    }

    @PatchMapping(BASE + "/{transformationId}")
    TransformationView update(
            @PathVariable String workspaceId,
            @PathVariable String transformationId,
            @Valid @RequestBody TransformationPatch patch) {
        Caller actor = access.require(workspaceId, Role.EDITOR);
        Transformation t = transformations.get(workspaceId, transformationId);
        return view(transformations.describe(
                t,
                patch.name() == null ? t.name() : patch.name().strip(),
                patch.description() == null ? t.description() : patch.description(),
                actor));
    }

    @DeleteMapping(BASE + "/{transformationId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String workspaceId, @PathVariable String transformationId) {
        Caller actor = access.require(workspaceId, Role.EDITOR);
        transformations.delete(transformations.get(workspaceId, transformationId), actor);
    }

    @GetMapping(BASE + "/{transformationId}/versions")
    List<TransformationVersion> versions(@PathVariable String workspaceId, @PathVariable String transformationId) {
        access.require(workspaceId, Role.VIEWER);
        return transformations.versions(transformations.get(workspaceId, transformationId));
    }

    @PostMapping(BASE + "/{transformationId}/versions")
    @ResponseStatus(HttpStatus.CREATED)
    TransformationVersion addVersion(
            @PathVariable String workspaceId,
            @PathVariable String transformationId,
            @Valid @RequestBody CodeRequest request) {
        Caller actor = access.require(workspaceId, Role.EDITOR);
        return transformations.addVersion(transformations.get(workspaceId, transformationId), request.code(), actor);
    }

    @GetMapping(BASE + "/{transformationId}/versions/{versionId}")
    TransformationVersion version(
            @PathVariable String workspaceId, @PathVariable String transformationId, @PathVariable String versionId) {
        access.require(workspaceId, Role.VIEWER);
        return transformations.version(transformations.get(workspaceId, transformationId), versionId);
    }

    @GetMapping(BASE + "/{transformationId}/diff")
    VersionPair diff(
            @PathVariable String workspaceId,
            @PathVariable String transformationId,
            @RequestParam String from,
            @RequestParam String to) {
        access.require(workspaceId, Role.VIEWER);
        Transformation t = transformations.get(workspaceId, transformationId);
        return new VersionPair(transformations.version(t, from), transformations.version(t, to));
    }

    private TransformationView view(Transformation t) {
        return new TransformationView(
                t.id(),
                t.workspaceId(),
                t.name(),
                t.description(),
                t.language(),
                transformations.latest(t).orElse(null),
                t.createdAt(),
                t.updatedAt());
    }
}
