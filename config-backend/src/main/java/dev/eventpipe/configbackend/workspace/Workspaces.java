package dev.eventpipe.configbackend.workspace;

import dev.eventpipe.configbackend.Identifiers;
import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.account.Memberships;
import dev.eventpipe.configbackend.audit.AuditLog;
import dev.eventpipe.configbackend.web.ApiException;
import java.time.Instant;
import java.util.List;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, renames and deletes workspaces; the creator becomes the workspace's admin. */
@Service
public class Workspaces {
    private final WorkspaceRepository repository;
    private final JdbcAggregateTemplate template;
    private final Memberships memberships;
    private final AuditLog audit;

    Workspaces(
            WorkspaceRepository repository, JdbcAggregateTemplate template, Memberships memberships, AuditLog audit) {
        this.repository = repository;
        this.template = template;
        this.memberships = memberships;
        this.audit = audit;
    }

    @Transactional
    public Workspace create(String name, Caller.Person creator) {
        Instant now = Instant.now();
        Workspace workspace = template.insert(new Workspace(Identifiers.newId(), name, now, now));
        memberships.grant(workspace.id(), creator.userId(), Role.ADMIN);
        audit.record(workspace.id(), creator, "workspace.created", "workspace", workspace.id(), name);
        return workspace;
    }

    public Workspace get(String id) {
        return repository.findById(id).orElseThrow(() -> new ApiException.NotFound("workspace " + id));
    }

    @Transactional
    public Workspace rename(String id, String name, Caller actor) {
        Workspace renamed = repository.save(new Workspace(id, name, get(id).createdAt(), Instant.now()));
        audit.record(id, actor, "workspace.renamed", "workspace", id, name);
        return renamed;
    }

    @Transactional
    public void delete(String id, Caller actor) {
        audit.record(id, actor, "workspace.deleted", "workspace", id, get(id).name());
        repository.deleteById(id);
    }

    /** The ids of every workspace, sorted (the namespace config lists them all). */
    public List<String> allIds() {
        return repository.findAll().stream().map(Workspace::id).sorted().toList();
    }

    public boolean anyExists() {
        return repository.count() > 0;
    }
}
