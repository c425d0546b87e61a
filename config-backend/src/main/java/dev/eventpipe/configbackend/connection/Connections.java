package dev.eventpipe.configbackend.connection;

import dev.eventpipe.configbackend.Identifiers;
import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.audit.AuditLog;
import dev.eventpipe.configbackend.destination.Destinations;
import dev.eventpipe.configbackend.source.Sources;
import dev.eventpipe.configbackend.web.ApiException;
import java.time.Instant;
import java.util.List;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Connects sources to destinations of the same workspace; one connection per pair. */
@Service
public class Connections {
    private final ConnectionRepository repository;
    private final JdbcAggregateTemplate template;
    private final Sources sources;
    private final Destinations destinations;
    private final AuditLog audit;

    Connections(
            ConnectionRepository repository,
            JdbcAggregateTemplate template,
            Sources sources,
            Destinations destinations,
            AuditLog audit) {
        this.repository = repository;
        this.template = template;
        this.sources = sources;
        this.destinations = destinations;
        this.audit = audit;
    }

    public List<Connection> list(String workspaceId) {
        return repository.findByWorkspaceId(workspaceId);
    }

    public Connection get(String workspaceId, String id) {
        return repository
                .findByWorkspaceIdAndId(workspaceId, id)
                .orElseThrow(() -> new ApiException.NotFound("connection " + id));
    }

    @Transactional
    public Connection create(String workspaceId, String sourceId, String destinationId, boolean enabled, Caller actor) {
        try {
            sources.get(workspaceId, sourceId);
        } catch (ApiException.NotFound e) {
            throw new ApiException.Invalid("sourceId", "no such source in this workspace");
        }
        try {
            destinations.get(workspaceId, destinationId);
        } catch (ApiException.NotFound e) {
            throw new ApiException.Invalid("destinationId", "no such destination in this workspace");
        }
        if (repository.findBySourceIdAndDestinationId(sourceId, destinationId).isPresent()) {
            throw new ApiException.Conflict("the source is already connected to the destination");
        }
        Connection created = template.insert(
                new Connection(Identifiers.newId(), workspaceId, sourceId, destinationId, enabled, Instant.now()));
        audit.record(
                workspaceId,
                actor,
                "connection.created",
                "connection",
                created.id(),
                sourceId + " -> " + destinationId);
        return created;
    }

    @Transactional
    public Connection setEnabled(Connection connection, boolean enabled, Caller actor) {
        if (connection.enabled() == enabled) return connection;
        Connection changed = repository.save(new Connection(
                connection.id(),
                connection.workspaceId(),
                connection.sourceId(),
                connection.destinationId(),
                enabled,
                connection.createdAt()));
        audit.record(
                connection.workspaceId(),
                actor,
                enabled ? "connection.enabled" : "connection.disabled",
                "connection",
                connection.id(),
                "");
        return changed;
    }

    @Transactional
    public void delete(Connection connection, Caller actor) {
        repository.delete(connection);
        audit.record(connection.workspaceId(), actor, "connection.deleted", "connection", connection.id(), "");
    }
}
