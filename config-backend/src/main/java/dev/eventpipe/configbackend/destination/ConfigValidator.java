package dev.eventpipe.configbackend.destination;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.NodePath;
import dev.eventpipe.configbackend.catalogue.DestinationDefinition;
import dev.eventpipe.configbackend.web.FieldProblem;
import dev.eventpipe.model.egress.EgressPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Validates a destination config against its definition's JSON Schema (draft 2020-12 unless the schema names
 * another in {@code $schema}); each problem names its field as {@code config.<path>}. A field whose whole value is
 * an http(s) URL is also checked against the egress policy ({@code EGRESS_ALLOW}, {@code EGRESS_DENY_PRIVATE}):
 * an obviously internal one (loopback, metadata, this suite's services) is refused here, early and clearly; the
 * router checks the address it actually connects to whatever this says. A connection's top-level {@code host} and
 * {@code port} (a POSTGRES warehouse's) are checked the same way; the warehouse service checks what it dials.
 */
@Component
class ConfigValidator {
    // a POSTGRES warehouse's port when its config names none (the warehouse service's default too)
    private static final int DEFAULT_PORT = 5432;

    private final EgressPolicy egress;

    @Autowired
    ConfigValidator(EgressPolicy egress) {
        this.egress = egress;
    }

    /** With the default policy (nothing allowed beyond it). */
    ConfigValidator() {
        this(EgressPolicy.of("", false, List.of()));
    }

    // "secret": true marks a field to encrypt; it is an annotation, not an assertion
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialect.builder(Dialects.getDraft202012())
            .keyword(new AnnotationKeyword("secret"))
            .build());
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    List<FieldProblem> problems(DestinationDefinition definition, JsonNode config) {
        String cacheKey = definition.name() + "@" + definition.updatedAt() + "#"
                + definition.configSchema().hashCode();
        Schema schema = schemas.computeIfAbsent(cacheKey, k -> registry.getSchema(definition.schema()));
        List<FieldProblem> problems = new ArrayList<>(
                schema.validate(config).stream().map(ConfigValidator::problem).toList());
        urls(config, "config", problems);
        host(config, problems);
        return problems;
    }

    /**
     * A connection's {@code host} and {@code port} at the top of the config (a POSTGRES warehouse's): an obviously
     * internal host is refused like a URL; the warehouse service checks the address it dials whatever this says.
     */
    private void host(JsonNode config, List<FieldProblem> problems) {
        JsonNode host = config.path("host");
        if (!host.isString() || host.asString().isBlank()) return;
        JsonNode port = config.path("port");
        int number = DEFAULT_PORT;
        try {
            String text = port.isNumber() ? port.asString() : port.asString("").strip();
            if (!text.isEmpty()) number = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return; // the schema says what is wrong with the port
        }
        if (number < 1 || number > 65535) return;
        egress.refusalForHost(host.asString(), number)
                .ifPresent(reason -> problems.add(new FieldProblem("config.host", reason)));
    }

    private void urls(JsonNode node, String field, List<FieldProblem> problems) {
        if (node.isString()) {
            String value = node.asString().trim();
            String lower = value.toLowerCase(Locale.ROOT);
            if (lower.startsWith("http://") || lower.startsWith("https://"))
                egress.refusalForUrl(value).ifPresent(reason -> problems.add(new FieldProblem(field, reason)));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) urls(node.get(i), field + "[" + i + "]", problems);
        } else if (node.isObject()) {
            node.properties().forEach(e -> urls(e.getValue(), field + "." + e.getKey(), problems));
        }
    }

    private static FieldProblem problem(Error error) {
        StringBuilder field = new StringBuilder("config");
        NodePath location = error.getInstanceLocation();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index)
                field.append('[').append(index).append(']');
            else field.append('.').append(element);
        }
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            field.append('.').append(error.getProperty());
        }
        String message = error.getMessage();
        int colon = message.indexOf(": ");
        if (message.startsWith("$") && colon > 0) message = message.substring(colon + 2);
        return new FieldProblem(field.toString(), message);
    }
}
