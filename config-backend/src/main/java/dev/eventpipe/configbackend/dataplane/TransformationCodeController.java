package dev.eventpipe.configbackend.dataplane;

import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import dev.eventpipe.configbackend.transformation.TransformationRepository;
import dev.eventpipe.configbackend.transformation.VersionRepository;
import dev.eventpipe.configbackend.web.ApiException;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /transformation/getByVersionId?versionId=} for the transformer (RudderStack's route): the code of one
 * immutable version of the calling workspace (of any workspace for the instance-wide secret); 404 when unknown. The
 * answer names the version's workspace: the transformer keeps a workspace's versions in processes of their own while
 * one of them is exiled for filling its heap (so a new version cannot cost other tenants another 503).
 */
@RestController
class TransformationCodeController {
    record TransformationCode(
            String id,
            String versionId,
            String workspaceId,
            String name,
            String code,
            String language,
            Instant createdAt) {}

    private final VersionRepository versions;
    private final TransformationRepository transformations;
    private final WorkspaceAccess access;

    TransformationCodeController(
            VersionRepository versions, TransformationRepository transformations, WorkspaceAccess access) {
        this.versions = versions;
        this.transformations = transformations;
        this.access = access;
    }

    @GetMapping("/transformation/getByVersionId")
    TransformationCode byVersionId(@RequestParam String versionId) {
        if (!(access.caller() instanceof Caller.DataPlane dataPlane))
            throw new ApiException.Forbidden("data plane only");
        var version = dataPlane.everyWorkspace()
                ? versions.findById(versionId)
                : versions.findByWorkspaceIdAndId(dataPlane.workspaceId(), versionId);
        return version.map(v -> new TransformationCode(
                        v.transformationId(),
                        v.id(),
                        v.workspaceId(),
                        transformations
                                .findById(v.transformationId())
                                .map(t -> t.name())
                                .orElse(""),
                        v.code(),
                        v.language(),
                        v.createdAt()))
                .orElseThrow(() -> new ApiException.NotFound("transformation version " + versionId));
    }
}
