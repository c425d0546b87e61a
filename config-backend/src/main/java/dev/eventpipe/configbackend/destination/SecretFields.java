package dev.eventpipe.configbackend.destination;

import java.util.List;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The secret string fields of a destination config, addressed by dotted paths ({@code headers.to}); arrays on the
 * way are entered element by element, as RudderStack's {@code secretKeys} mean.
 */
final class SecretFields {
    static final String MASK = "********";

    private final List<String> paths;

    SecretFields(List<String> paths) {
        this.paths = paths;
    }

    /** Replaces every secret string in place; the function gets the field's JSON pointer and its value. */
    void replace(JsonNode config, BiFunction<String, String, String> replacement) {
        for (String path : paths) walk(config, path.split("\\."), 0, "", replacement);
    }

    private static void walk(
            JsonNode node, String[] keys, int depth, String pointer, BiFunction<String, String, String> fn) {
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) walk(array.get(i), keys, depth, pointer + "/" + i, fn);
            return;
        }
        if (!(node instanceof ObjectNode object) || !object.has(keys[depth])) return;
        JsonNode child = object.get(keys[depth]);
        String childPointer = pointer + "/" + keys[depth].replace("~", "~0").replace("/", "~1");
        if (depth == keys.length - 1) {
            if (child.isString() && !child.asString().isEmpty()) {
                object.put(keys[depth], fn.apply(childPointer, child.asString()));
            }
        } else {
            walk(child, keys, depth + 1, childPointer, fn);
        }
    }
}
