package dev.eventpipe.configbackend.connection;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

public interface ConnectionRepository extends ListCrudRepository<Connection, String> {
    List<Connection> findByWorkspaceId(String workspaceId);

    Optional<Connection> findByWorkspaceIdAndId(String workspaceId, String id);

    Optional<Connection> findBySourceIdAndDestinationId(String sourceId, String destinationId);
}
