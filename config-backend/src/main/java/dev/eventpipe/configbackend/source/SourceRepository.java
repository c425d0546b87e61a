package dev.eventpipe.configbackend.source;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

public interface SourceRepository extends ListCrudRepository<Source, String> {
    List<Source> findByWorkspaceIdOrderByName(String workspaceId);

    Optional<Source> findByWorkspaceIdAndId(String workspaceId, String id);

    Optional<Source> findByWorkspaceIdAndName(String workspaceId, String name);

    Optional<Source> findByWriteKey(String writeKey);
}
