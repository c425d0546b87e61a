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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
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
        String id = Identifiers.newId();
        String config = sealed(definition, spec, workspaceId, id);
        Instant now = Instant.now();
        Destination created = template.insert(new Destination(
                id,
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
        refuseKeptSecretsOnANewTarget(definition, current, spec.config(), previous);
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
                current.workspaceId(),
                current.id());
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

    /**
     * A masked value keeps a stored secret only while the secret would go where it went before (review P2-2): the
     * destination type, every address field ({@link #ROUTING}: URL, host, port, region, …) and the fields next to the
     * secret (a header's name) must be unchanged; otherwise the client must send the secret again, so an editor who
     * cannot read a secret cannot send it to a server of their own either.
     */
    private void refuseKeptSecretsOnANewTarget(
            DestinationDefinition definition, Destination current, JsonNode sent, JsonNode previous) {
        SecretFields secrets = new SecretFields(definition.secretPaths());
        List<String> kept = new ArrayList<>();
        Set<String> secretPointers = new HashSet<>();
        secrets.replace(sent.deepCopy(), (pointer, value) -> {
            secretPointers.add(pointer);
            if (SecretFields.MASK.equals(value)) kept.add(pointer);
            return value;
        });
        if (kept.isEmpty()) return;
        secrets.replace(previous.deepCopy(), (pointer, value) -> {
            secretPointers.add(pointer);
            return value;
        });
        String changed = !definition.name().equals(current.definitionName())
                ? "type"
                : changedRoutingField(sent, previous, secretPointers);
        List<FieldProblem> problems = new ArrayList<>();
        for (String pointer : kept) {
            String reason = changed != null ? changed : changedSibling(sent, previous, pointer, secretPointers);
            if (reason != null) {
                problems.add(new FieldProblem(
                        "config" + pointer.replace('/', '.'),
                        "enter this secret again: " + reason + " changed, and a kept secret only goes where it went"
                                + " before"));
            }
        }
        if (!problems.isEmpty()) throw new ApiException.Invalid(problems);
    }

    /** Names of config fields that say where a destination sends its data (and so its secrets). */
    static final Pattern ROUTING =
            Pattern.compile("(?i).*(url|uri|host|port|endpoint|domain|server|address|region|residency|dsn|ssl|tls).*");

    private static @Nullable String changedRoutingField(JsonNode sent, JsonNode previous, Set<String> secrets) {
        Map<String, JsonNode> before = new TreeMap<>();
        Map<String, JsonNode> after = new TreeMap<>();
        routingLeaves(previous, "", false, secrets, before);
        routingLeaves(sent, "", false, secrets, after);
        Set<String> pointers = new TreeSet<>(before.keySet());
        pointers.addAll(after.keySet());
        for (String pointer : pointers) {
            if (!java.util.Objects.equals(before.get(pointer), after.get(pointer))) {
                return "config" + pointer.replace('/', '.');
            }
        }
        return null;
    }

    private static void routingLeaves(
            JsonNode node, String pointer, boolean routing, Set<String> secrets, Map<String, JsonNode> out) {
        if (secrets.contains(pointer)) return;
        if (node.isObject()) {
            for (var field : node.properties()) {
                String key = field.getKey();
                String child = pointer + "/" + key.replace("~", "~0").replace("/", "~1");
                routingLeaves(
                        field.getValue(), child, routing || ROUTING.matcher(key).matches(), secrets, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) routingLeaves(node.get(i), pointer + "/" + i, routing, secrets, out);
        } else if (routing) {
            out.put(pointer, node);
        }
    }

    /** The other non-secret fields of the object that holds the secret (a header's name next to its value). */
    private static @Nullable String changedSibling(
            JsonNode sent, JsonNode previous, String pointer, Set<String> secrets) {
        String parent = pointer.substring(0, pointer.lastIndexOf('/'));
        if (parent.isEmpty()) return null; // a top-level secret: its routing fields are checked above
        JsonNode now = sent.at(parent);
        JsonNode before = previous.at(parent);
        if (!now.isObject() || !before.isObject()) return "config" + parent.replace('/', '.');
        Set<String> names = new TreeSet<>(now.propertyNames());
        names.addAll(before.propertyNames());
        for (String name : names) {
            String sibling = parent + "/" + name.replace("~", "~0").replace("/", "~1");
            if (secrets.contains(sibling)) continue;
            if (!java.util.Objects.equals(now.get(name), before.get(name))) {
                return "config" + sibling.replace('/', '.');
            }
        }
        return null;
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
                .replace(config, (pointer, value) -> box.decrypt(value, destination.id(), pointer));
        return config;
    }

    /** The config with secrets masked: for people and automation. */
    public JsonNode maskedConfig(Destination destination) {
        JsonNode config = Json.mapper().readTree(destination.config());
        new SecretFields(definition(destination.definitionName()).secretPaths())
                .replace(config, (pointer, value) -> SecretFields.MASK);
        return config;
    }

    private String sealed(DestinationDefinition definition, Spec spec, String workspaceId, String destinationId) {
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
        new SecretFields(definition.secretPaths())
                .replace(config, (pointer, value) -> box.encrypt(value, destinationId, pointer));
        return Json.writeString(config);
    }

    private DestinationDefinition definition(String name) {
        return definitions
                .findByName(name)
                .orElseThrow(() -> new ApiException.Invalid("type", "unknown destination definition " + name));
    }
}
