package dev.eventpipe.configbackend.catalogue;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

public interface DefinitionRepository extends ListCrudRepository<DestinationDefinition, String> {
    Optional<DestinationDefinition> findByName(String name);

    List<DestinationDefinition> findAllByOrderByName();
}
