package dev.eventpipe.configbackend.source;

import dev.eventpipe.configbackend.Identifiers;
import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.audit.AuditLog;
import dev.eventpipe.configbackend.web.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Source life cycle: create (with a generated write key), change, rotate the key, delete. Every change audited. */
@Service
public class Sources {
    /** What a caller may set on a source. */
    public record Spec(String name, String type, String category, boolean enabled, String config) {}

    private final SourceRepository repository;
    private final JdbcAggregateTemplate template;
    private final AuditLog audit;

    Sources(SourceRepository repository, JdbcAggregateTemplate template, AuditLog audit) {
        this.repository = repository;
        this.template = template;
        this.audit = audit;
    }

    public List<Source> list(String workspaceId) {
        return repository.findByWorkspaceIdOrderByName(workspaceId);
    }

    /** The source with this write key, in whichever workspace. */
    public Optional<Source> byWriteKey(String writeKey) {
        return repository.findByWriteKey(writeKey);
    }

    public Source get(String workspaceId, String id) {
        return repository
                .findByWorkspaceIdAndId(workspaceId, id)
                .orElseThrow(() -> new ApiException.NotFound("source " + id));
    }

    /** Creates a source; {@code writeKey} null means generate one. */
    @Transactional
    public Source create(String workspaceId, Spec spec, @Nullable String writeKey, Caller actor) {
        Instant now = Instant.now();
        String key = writeKey == null || writeKey.isBlank() ? Identifiers.newSecret("") : writeKey;
        Source source = template.insert(new Source(
                Identifiers.newId(),
                workspaceId,
                spec.name(),
                spec.type(),
                spec.category(),
                key,
                spec.enabled(),
                spec.config(),
                now,
                now));
        audit.record(workspaceId, actor, "source.created", "source", source.id(), spec.name());
        return source;
    }

    @Transactional
    public Source update(Source current, Spec spec, Caller actor) {
        Source changed =
                repository.save(current.with(spec.name(), spec.type(), spec.category(), spec.enabled(), spec.config()));
        audit.record(current.workspaceId(), actor, "source.updated", "source", current.id(), spec.name());
        return changed;
    }

    @Transactional
    public Source rotateWriteKey(Source current, Caller actor) {
        Source rotated = repository.save(current.withWriteKey(Identifiers.newSecret("")));
        audit.record(current.workspaceId(), actor, "source.write-key-rotated", "source", current.id(), current.name());
        return rotated;
    }

    @Transactional
    public void delete(Source source, Caller actor) {
        repository.delete(source);
        audit.record(source.workspaceId(), actor, "source.deleted", "source", source.id(), source.name());
    }
}
