package dev.eventpipe.configbackend.destination;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

public interface DestinationRepository extends ListCrudRepository<Destination, String> {
    List<Destination> findByWorkspaceIdOrderByName(String workspaceId);

    Optional<Destination> findByWorkspaceIdAndId(String workspaceId, String id);

    Optional<Destination> findByWorkspaceIdAndName(String workspaceId, String name);
}
