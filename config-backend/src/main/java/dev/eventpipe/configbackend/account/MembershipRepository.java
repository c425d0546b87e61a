package dev.eventpipe.configbackend.account;

import dev.eventpipe.configbackend.access.Role;
import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

interface MembershipRepository extends ListCrudRepository<Membership, String> {
    List<Membership> findByWorkspaceId(String workspaceId);

    List<Membership> findByUserId(String userId);

    Optional<Membership> findByWorkspaceIdAndUserId(String workspaceId, String userId);

    long countByWorkspaceIdAndRole(String workspaceId, Role role);
}
