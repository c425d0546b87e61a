package dev.eventpipe.configbackend.destination;

import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Destinations of a workspace: viewers read (secrets masked), editors write. {@code type} is the destination
 * definition's name; in a PATCH, an absent {@code transformationVersionId} keeps the current one and {@code ""}
 * detaches it.
 */
@RestController
class DestinationController {
    record DestinationRequest(
            @NotBlank @Size(max = 200) String name,
            @NotBlank String type,
            @Nullable JsonNode config,
            @Nullable Boolean enabled,
            @Nullable String transformationVersionId) {}

    record DestinationPatch(
            @Nullable @Size(min = 1, max = 200) String name,
            @Nullable JsonNode config,
            @Nullable Boolean enabled,
            @Nullable String transformationVersionId) {}

    record DestinationView(
            String id,
            String workspaceId,
            String name,
            String type,
            JsonNode config,
            boolean enabled,
            @Nullable String transformationVersionId,
            String revisionId,
            Instant createdAt,
            Instant updatedAt) {}

    private static final String BASE = "/api/v1/workspaces/{workspaceId}/destinations";

    private final Destinations destinations;
    private final WorkspaceAccess access;

    DestinationController(Destinations destinations, WorkspaceAccess access) {
        this.destinations = destinations;
        this.access = access;
    }

    @GetMapping(BASE)
    List<DestinationView> list(@PathVariable String workspaceId) {
        access.require(workspaceId, Role.VIEWER);
        return destinations.list(workspaceId).stream().map(this::view).toList();
    }

    @PostMapping(BASE)
    @ResponseStatus(HttpStatus.CREATED)
    DestinationView create(@PathVariable String workspaceId, @Valid @RequestBody DestinationRequest request) {
        Caller actor = access.require(workspaceId, Role.EDITOR);
        Destinations.Spec spec = new Destinations.Spec(
                request.name().strip(),
                request.type(),
                request.config() == null ? JsonNodeFactory.instance.objectNode() : request.config(),
                request.enabled() == null || request.enabled(),
                blankToNull(request.transformationVersionId()));
        return view(destinations.create(workspaceId, spec, actor));
    }

    @GetMapping(BASE + "/{destinationId}")
    DestinationView get(@PathVariable String workspaceId, @PathVariable String destinationId) {
        access.require(workspaceId, Role.VIEWER);
        return view(destinations.get(workspaceId, destinationId));
    }

    @PatchMapping(BASE + "/{destinationId}")
    DestinationView update(
            @PathVariable String workspaceId,
            @PathVariable String destinationId,
            @Valid @RequestBody DestinationPatch patch) {
        Caller actor = access.require(workspaceId, Role.EDITOR);
        Destination d = destinations.get(workspaceId, destinationId);
        Destinations.Spec spec = new Destinations.Spec(
                patch.name() == null ? d.name() : patch.name().strip(),
                d.definitionName(),
                patch.config() == null ? destinations.maskedConfig(d) : patch.config(),
                patch.enabled() == null ? d.enabled() : patch.enabled(),
                patch.transformationVersionId() == null
                        ? d.transformationVersionId()
                        : blankToNull(patch.transformationVersionId()));
        return view(destinations.update(d, spec, actor));
    }

    @DeleteMapping(BASE + "/{destinationId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String workspaceId, @PathVariable String destinationId) {
        Caller actor = access.require(workspaceId, Role.EDITOR);
        destinations.delete(destinations.get(workspaceId, destinationId), actor);
    }

    private DestinationView view(Destination d) {
        return new DestinationView(
                d.id(),
                d.workspaceId(),
                d.name(),
                d.definitionName(),
                destinations.maskedConfig(d),
                d.enabled(),
                d.transformationVersionId(),
                d.revisionId(),
                d.createdAt(),
                d.updatedAt());
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
