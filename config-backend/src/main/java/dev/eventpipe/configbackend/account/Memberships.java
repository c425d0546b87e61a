package dev.eventpipe.configbackend.account;

import dev.eventpipe.configbackend.Identifiers;
import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.web.ApiException;
import java.util.List;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.stereotype.Service;

/** Who holds which role in which workspace. A workspace always keeps at least one admin. */
@Service
public class Memberships {
    private final MembershipRepository repository;
    private final JdbcAggregateTemplate template;

    Memberships(MembershipRepository repository, JdbcAggregateTemplate template) {
        this.repository = repository;
        this.template = template;
    }

    public void grant(String workspaceId, String userId, Role role) {
        repository
                .findByWorkspaceIdAndUserId(workspaceId, userId)
                .ifPresentOrElse(
                        m -> change(m, role),
                        () -> template.insert(new Membership(Identifiers.newId(), workspaceId, userId, role)));
    }

    List<Membership> ofWorkspace(String workspaceId) {
        return repository.findByWorkspaceId(workspaceId);
    }

    List<Membership> ofUser(String userId) {
        return repository.findByUserId(userId);
    }

    Membership get(String workspaceId, String userId) {
        return repository
                .findByWorkspaceIdAndUserId(workspaceId, userId)
                .orElseThrow(() -> new ApiException.NotFound("member " + userId));
    }

    void change(Membership membership, Role role) {
        if (membership.role() == Role.ADMIN && role != Role.ADMIN) requireAnotherAdmin(membership);
        repository.save(new Membership(membership.id(), membership.workspaceId(), membership.userId(), role));
    }

    void revoke(Membership membership) {
        if (membership.role() == Role.ADMIN) requireAnotherAdmin(membership);
        repository.delete(membership);
    }

    private void requireAnotherAdmin(Membership membership) {
        if (repository.countByWorkspaceIdAndRole(membership.workspaceId(), Role.ADMIN) <= 1) {
            throw new ApiException.Conflict("a workspace must keep at least one admin");
        }
    }
}
