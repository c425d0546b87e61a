package dev.eventpipe.configbackend.source;

import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import dev.eventpipe.model.json.Json;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

/** Sources of a workspace: viewers read, editors write. */
@RestController
class SourceController {
    record SourceRequest(
            @NotBlank @Size(max = 200) String name,
            @Nullable String type,
            @Nullable String category,
            @Nullable Boolean enabled,
            @Nullable Map<String, Object> config) {}

    record SourcePatch(
            @Nullable @Size(min = 1, max = 200) String name,
            @Nullable String type,
            @Nullable String category,
            @Nullable Boolean enabled,
            @Nullable Map<String, Object> config) {}

    record SourceView(
            String id,
            String workspaceId,
            String name,
            String type,
            String category,
            String writeKey,
            boolean enabled,
            Object config,
            Instant createdAt,
            Instant updatedAt) {
        static SourceView of(Source s) {
            return new SourceView(
                    s.id(),
                    s.workspaceId(),
                    s.name(),
                    s.sourceType(),
                    s.category(),
                    s.writeKey(),
                    s.enabled(),
                    Json.read(s.config(), Map.class),
                    s.createdAt(),
                    s.updatedAt());
        }
    }

    private static final String BASE = "/api/v1/workspaces/{workspaceId}/sources";

    private final Sources sources;
    private final WorkspaceAccess access;

    SourceController(Sources sources, WorkspaceAccess access) {
        this.sources = sources;
        this.access = access;
    }

    @GetMapping(BASE)
    List<SourceView> list(@PathVariable String workspaceId) {
        access.require(workspaceId, Role.VIEWER);
        return sources.list(workspaceId).stream().map(SourceView::of).toList();
    }

    @PostMapping(BASE)
    @ResponseStatus(HttpStatus.CREATED)
    SourceView create(@PathVariable String workspaceId, @Valid @RequestBody SourceRequest request) {
        Caller actor = access.require(workspaceId, Role.EDITOR);
        Sources.Spec spec = new Sources.Spec(
                request.name().strip(),
                request.type() == null ? "HTTP" : request.type(),
                request.category() == null ? "" : request.category(),
                request.enabled() == null || request.enabled(),
                Json.writeString(request.config() == null ? Map.of() : request.config()));
        return SourceView.of(sources.create(workspaceId, spec, null, actor));
    }

    @GetMapping(BASE + "/{sourceId}")
    SourceView get(@PathVariable String workspaceId, @PathVariable String sourceId) {
        access.require(workspaceId, Role.VIEWER);
        return SourceView.of(sources.get(workspaceId, sourceId));
    }

    @PatchMapping(BASE + "/{sourceId}")
    SourceView update(
            @PathVariable String workspaceId, @PathVariable String sourceId, @Valid @RequestBody SourcePatch patch) {
        Caller actor = access.require(workspaceId, Role.EDITOR);
        Source s = sources.get(workspaceId, sourceId);
        Sources.Spec spec = new Sources.Spec(
                patch.name() == null ? s.name() : patch.name().strip(),
                patch.type() == null ? s.sourceType() : patch.type(),
                patch.category() == null ? s.category() : patch.category(),
                patch.enabled() == null ? s.enabled() : patch.enabled(),
                patch.config() == null ? s.config() : Json.writeString(patch.config()));
        return SourceView.of(sources.update(s, spec, actor));
    }

    @PostMapping(BASE + "/{sourceId}/enable")
    SourceView enable(@PathVariable String workspaceId, @PathVariable String sourceId) {
        return update(workspaceId, sourceId, new SourcePatch(null, null, null, true, null));
    }

    @PostMapping(BASE + "/{sourceId}/disable")
    SourceView disable(@PathVariable String workspaceId, @PathVariable String sourceId) {
        return update(workspaceId, sourceId, new SourcePatch(null, null, null, false, null));
    }

    @PostMapping(BASE + "/{sourceId}/rotate-key")
    SourceView rotateKey(@PathVariable String workspaceId, @PathVariable String sourceId) {
        Caller actor = access.require(workspaceId, Role.EDITOR);
        return SourceView.of(sources.rotateWriteKey(sources.get(workspaceId, sourceId), actor));
    }

    @DeleteMapping(BASE + "/{sourceId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String workspaceId, @PathVariable String sourceId) {
        Caller actor = access.require(workspaceId, Role.EDITOR);
        sources.delete(sources.get(workspaceId, sourceId), actor);
    }
}
