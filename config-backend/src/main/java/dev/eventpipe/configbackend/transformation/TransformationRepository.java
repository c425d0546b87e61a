package dev.eventpipe.configbackend.transformation;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

public interface TransformationRepository extends ListCrudRepository<Transformation, String> {
    List<Transformation> findByWorkspaceIdOrderByName(String workspaceId);

    Optional<Transformation> findByWorkspaceIdAndId(String workspaceId, String id);

    Optional<Transformation> findByWorkspaceIdAndName(String workspaceId, String name);
}
