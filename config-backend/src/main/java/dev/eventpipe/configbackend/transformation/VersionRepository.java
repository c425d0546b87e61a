package dev.eventpipe.configbackend.transformation;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

public interface VersionRepository extends ListCrudRepository<TransformationVersion, String> {
    List<TransformationVersion> findByTransformationIdOrderByNumber(String transformationId);

    Optional<TransformationVersion> findFirstByTransformationIdOrderByNumberDesc(String transformationId);

    Optional<TransformationVersion> findByWorkspaceIdAndId(String workspaceId, String id);
}
