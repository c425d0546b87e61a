package dev.eventpipe.configbackend.transformation;

import dev.eventpipe.configbackend.Identifiers;
import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.audit.AuditLog;
import dev.eventpipe.configbackend.web.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Transformations and their versions. Saving code always makes a new version; a version never changes. */
@Service
public class Transformations {
    static final Set<String> LANGUAGES = Set.of("javascript");

    private final TransformationRepository repository;
    private final VersionRepository versions;
    private final JdbcAggregateTemplate template;
    private final AuditLog audit;

    Transformations(
            TransformationRepository repository,
            VersionRepository versions,
            JdbcAggregateTemplate template,
            AuditLog audit) {
        this.repository = repository;
        this.versions = versions;
        this.template = template;
        this.audit = audit;
    }

    public List<Transformation> list(String workspaceId) {
        return repository.findByWorkspaceIdOrderByName(workspaceId);
    }

    public Transformation get(String workspaceId, String id) {
        return repository
                .findByWorkspaceIdAndId(workspaceId, id)
                .orElseThrow(() -> new ApiException.NotFound("transformation " + id));
    }

    public Optional<Transformation> byName(String workspaceId, String name) {
        return repository.findByWorkspaceIdAndName(workspaceId, name);
    }

    @Transactional
    public Transformation create(String workspaceId, String name, String description, String language, Caller actor) {
        if (!LANGUAGES.contains(language)) throw new ApiException.Invalid("language", "supported: " + LANGUAGES);
        Instant now = Instant.now();
        Transformation created = template.insert(
                new Transformation(Identifiers.newId(), workspaceId, name, description, language, now, now));
        audit.record(workspaceId, actor, "transformation.created", "transformation", created.id(), name);
        return created;
    }

    @Transactional
    public Transformation describe(Transformation t, String name, String description, Caller actor) {
        if (t.name().equals(name) && t.description().equals(description)) return t;
        Transformation changed = repository.save(new Transformation(
                t.id(), t.workspaceId(), name, description, t.language(), t.createdAt(), Instant.now()));
        audit.record(t.workspaceId(), actor, "transformation.updated", "transformation", t.id(), name);
        return changed;
    }

    /** Saves code as the next version. */
    @Transactional
    public TransformationVersion addVersion(Transformation t, String code, Caller actor) {
        int next = latest(t).map(v -> v.number() + 1).orElse(1);
        TransformationVersion version = template.insert(new TransformationVersion(
                Identifiers.newId(), t.id(), t.workspaceId(), next, code, t.language(), actor.name(), Instant.now()));
        repository.save(new Transformation(
                t.id(), t.workspaceId(), t.name(), t.description(), t.language(), t.createdAt(), Instant.now()));
        audit.record(
                t.workspaceId(),
                actor,
                "transformation.version-created",
                "transformation-version",
                version.id(),
                t.name() + " v" + next);
        return version;
    }

    public Optional<TransformationVersion> latest(Transformation t) {
        return versions.findFirstByTransformationIdOrderByNumberDesc(t.id());
    }

    public List<TransformationVersion> versions(Transformation t) {
        return versions.findByTransformationIdOrderByNumber(t.id());
    }

    public TransformationVersion version(Transformation t, String versionId) {
        return versions.findByWorkspaceIdAndId(t.workspaceId(), versionId)
                .filter(v -> v.transformationId().equals(t.id()))
                .orElseThrow(() -> new ApiException.NotFound("version " + versionId));
    }

    /** Deleting a transformation whose version a destination uses fails with 409 (foreign key). */
    @Transactional
    public void delete(Transformation t, Caller actor) {
        repository.delete(t);
        audit.record(t.workspaceId(), actor, "transformation.deleted", "transformation", t.id(), t.name());
    }
}
