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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Validates a destination config against its definition's JSON Schema (draft 2020-12 unless the schema names
 * another in {@code $schema}); each problem names its field as {@code config.<path>}.
 */
@Component
class ConfigValidator {
    // "secret": true marks a field to encrypt; it is an annotation, not an assertion
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialect.builder(Dialects.getDraft202012())
            .keyword(new AnnotationKeyword("secret"))
            .build());
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    List<FieldProblem> problems(DestinationDefinition definition, JsonNode config) {
        String cacheKey = definition.name() + "@" + definition.updatedAt() + "#"
                + definition.configSchema().hashCode();
        Schema schema = schemas.computeIfAbsent(cacheKey, k -> registry.getSchema(definition.schema()));
        return schema.validate(config).stream().map(ConfigValidator::problem).toList();
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
