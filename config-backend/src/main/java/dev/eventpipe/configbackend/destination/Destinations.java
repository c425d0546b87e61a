package dev.eventpipe.configbackend.destination;

import dev.eventpipe.configbackend.Identifiers;
import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.audit.AuditLog;
import dev.eventpipe.configbackend.catalogue.DefinitionRepository;
import dev.eventpipe.configbackend.catalogue.DestinationDefinition;
import dev.eventpipe.configbackend.web.ApiException;
import dev.eventpipe.configbackend.web.FieldProblem;
import dev.eventpipe.model.json.Json;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Destination life cycle. A config is validated against its definition's schema before it is stored; its secret
 * fields are stored encrypted, shown masked ({@link SecretFields#MASK}) and a masked value sent back means "keep".
 */
@Service
public class Destinations {
    /** What a caller may set on a destination; {@code config} holds clear or masked secrets. */
    public record Spec(
            String name,
            String definitionName,
            JsonNode config,
            boolean enabled,
            @Nullable String transformationVersionId) {}

    private static final String VERSION_IN_WORKSPACE =
            "SELECT count(*) FROM cp_transformation_version WHERE id = :id AND workspace_id = :workspace";

    private final DestinationRepository repository;
    private final DefinitionRepository definitions;
    private final JdbcAggregateTemplate template;
    private final JdbcClient jdbc;
    private final ConfigValidator validator;
    private final SecretBox box;
    private final AuditLog audit;

    Destinations(
            DestinationRepository repository,
            DefinitionRepository definitions,
            JdbcAggregateTemplate template,
            JdbcClient jdbc,
            ConfigValidator validator,
            SecretBox box,
            AuditLog audit) {
        this.repository = repository;
        this.definitions = definitions;
        this.template = template;
        this.jdbc = jdbc;
        this.validator = validator;
        this.box = box;
        this.audit = audit;
    }

    public List<Destination> list(String workspaceId) {
        return repository.findByWorkspaceIdOrderByName(workspaceId);
    }

    public Destination get(String workspaceId, String id) {
        return repository
                .findByWorkspaceIdAndId(workspaceId, id)
                .orElseThrow(() -> new ApiException.NotFound("destination " + id));
    }

    @Transactional
    public Destination create(String workspaceId, Spec spec, Caller actor) {
        DestinationDefinition definition = definition(spec.definitionName());
        String config = sealed(definition, spec, workspaceId);
        Instant now = Instant.now();
        Destination created = template.insert(new Destination(
                Identifiers.newId(),
                workspaceId,
                spec.name(),
                definition.name(),
                config,
                spec.enabled(),
                spec.transformationVersionId(),
                Identifiers.newId(),
                now,
                now));
        audit.record(workspaceId, actor, "destination.created", "destination", created.id(), spec.name());
        return created;
    }

    /** Applies the spec; answers the current destination unchanged (and records nothing) when nothing differs. */
    @Transactional
    public Destination update(Destination current, Spec spec, Caller actor) {
        DestinationDefinition definition = definition(spec.definitionName());
        JsonNode merged = spec.config().deepCopy();
        JsonNode previous = clearConfig(current);
        new SecretFields(definition.secretPaths())
                .replace(
                        merged,
                        (pointer, value) -> SecretFields.MASK.equals(value)
                                ? previous.at(pointer).asString(value)
                                : value);
        if (merged.equals(previous)
                && spec.name().equals(current.name())
                && definition.name().equals(current.definitionName())
                && spec.enabled() == current.enabled()
                && java.util.Objects.equals(spec.transformationVersionId(), current.transformationVersionId())) {
            return current;
        }
        String config = sealed(
                definition,
                new Spec(spec.name(), spec.definitionName(), merged, spec.enabled(), spec.transformationVersionId()),
                current.workspaceId());
        Destination changed = repository.save(new Destination(
                current.id(),
                current.workspaceId(),
                spec.name(),
                definition.name(),
                config,
                spec.enabled(),
                spec.transformationVersionId(),
                Identifiers.newId(),
                current.createdAt(),
                Instant.now()));
        audit.record(current.workspaceId(), actor, "destination.updated", "destination", current.id(), spec.name());
        return changed;
    }

    @Transactional
    public void delete(Destination destination, Caller actor) {
        repository.delete(destination);
        audit.record(
                destination.workspaceId(),
                actor,
                "destination.deleted",
                "destination",
                destination.id(),
                destination.name());
    }

    /** The config with secrets in clear: for the data plane only. */
    public JsonNode clearConfig(Destination destination) {
        JsonNode config = Json.mapper().readTree(destination.config());
        new SecretFields(definition(destination.definitionName()).secretPaths())
                .replace(config, (pointer, value) -> box.decrypt(value));
        return config;
    }

    /** The config with secrets masked: for people and automation. */
    public JsonNode maskedConfig(Destination destination) {
        JsonNode config = Json.mapper().readTree(destination.config());
        new SecretFields(definition(destination.definitionName()).secretPaths())
                .replace(config, (pointer, value) -> SecretFields.MASK);
        return config;
    }

    private String sealed(DestinationDefinition definition, Spec spec, String workspaceId) {
        if (!spec.config().isObject()) throw new ApiException.Invalid("config", "must be a JSON object");
        JsonNode config = spec.config().deepCopy();
        new SecretFields(definition.secretPaths()).replace(config, (pointer, value) -> {
            if (SecretFields.MASK.equals(value)) {
                throw new ApiException.Invalid(
                        "config" + pointer.replace('/', '.'), "a masked value can only keep an existing secret");
            }
            return value;
        });
        List<FieldProblem> problems = validator.problems(definition, config);
        if (!problems.isEmpty()) throw new ApiException.Invalid(problems);
        String version = spec.transformationVersionId();
        if (version != null
                && jdbc.sql(VERSION_IN_WORKSPACE)
                                .param("id", version)
                                .param("workspace", workspaceId)
                                .query(Long.class)
                                .single()
                        == 0) {
            throw new ApiException.Invalid(
                    "transformationVersionId", "no such transformation version in this workspace");
        }
        new SecretFields(definition.secretPaths()).replace(config, (pointer, value) -> box.encrypt(value));
        return Json.writeString(config);
    }

    private DestinationDefinition definition(String name) {
        return definitions
                .findByName(name)
                .orElseThrow(() -> new ApiException.Invalid("type", "unknown destination definition " + name));
    }
}
