package dev.eventpipe.transformer.contract;

import dev.eventpipe.model.json.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JavaScript reads every JSON number as a double, so {@code 123456789012345678901234567890} comes out of a
 * transformation as {@code 1.2345678901234568e+29}, and a decimal with more than 17 significant digits is rounded.
 * This keeps the input's numbers that a double cannot carry, and puts them back in place of every output number
 * with the same double value: a value the code passed through arrives digit for digit. A value the code computed
 * is a new double and stays as JavaScript wrote it; two different inputs with the same double value are ambiguous
 * and are not restored. Trailing zeros ({@code 2.50}) are kept the same way. Numbers JavaScript writes back as they
 * came ({@code 19999999.99}, {@code 0.0005}) need nothing, and an event without any other costs no extra parse.
 */
public final class ExactNumbers {
    private static final BigInteger MAX_SAFE = BigInteger.valueOf(1L << 53);
    private static final JsonNode AMBIGUOUS = Json.exact().nullNode();

    private final Map<Double, JsonNode> originals = new HashMap<>();

    private ExactNumbers() {}

    /** The numbers of these inputs that JavaScript would change (usually none). */
    public static ExactNumbers of(Iterable<? extends @Nullable JsonNode> inputs) {
        ExactNumbers numbers = new ExactNumbers();
        for (JsonNode input : inputs) if (input != null) numbers.collect(input);
        return numbers;
    }

    /**
     * Whether this event holds a number a double cannot hold at all (an integer of 310 digits or more, or
     * {@code 1e400}): JavaScript would read it as Infinity. The gateway refuses such events; those stored before it
     * did are answered alone with a 400 by the callers, never run, so they cannot fail a whole request.
     */
    public static boolean hasOutOfRange(@Nullable JsonNode node) {
        if (node == null) return false;
        if (node.isContainer()) {
            for (JsonNode child : node.values()) if (hasOutOfRange(child)) return true;
            return false;
        }
        return node.isNumber() && !Double.isFinite(asDouble(node));
    }

    /** The reason given for an event {@link #hasOutOfRange} refuses. */
    public static final String OUT_OF_RANGE = "number out of range: a number in the event does not fit a double";

    public boolean isEmpty() {
        return originals.isEmpty();
    }

    /** The output with the kept numbers put back; the same string when there is nothing to restore. */
    public String restore(String outputJson) {
        if (originals.isEmpty()) return outputJson;
        JsonNode tree = Json.exact().readTree(outputJson);
        JsonNode restored = replace(tree);
        return Json.exact().writeValueAsString(restored);
    }

    private void collect(JsonNode node) {
        if (node.isContainer()) {
            for (JsonNode child : node.values()) collect(child);
        } else if (node.isNumber() && !survivesDouble(node)) {
            double d = asDouble(node);
            // Infinity (refused before the run, see hasOutOfRange) has nothing to restore: never throw here
            if (Double.isFinite(d)) originals.merge(d, node, (a, b) -> sameNumber(a, b) ? a : AMBIGUOUS);
        }
    }

    private JsonNode replace(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(e -> e.setValue(replace(e.getValue())));
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) array.set(i, replace(array.get(i)));
            return array;
        }
        if (!node.isNumber()) return node;
        JsonNode original = originals.get(node.doubleValue());
        return original == null || original == AMBIGUOUS ? node : original;
    }

    /** Whether JavaScript writes this number back with the same digits (as a double's shortest decimal). */
    static boolean survivesDouble(JsonNode number) {
        if (number.isIntegralNumber() && number.bigIntegerValue().abs().compareTo(MAX_SAFE) <= 0) return true;
        BigDecimal exact = number.isIntegralNumber() ? new BigDecimal(number.bigIntegerValue()) : number.decimalValue();
        double d = exact.doubleValue();
        if (!Double.isFinite(d) || new BigDecimal(Double.toString(d)).compareTo(exact) != 0) return false;
        // JavaScript drops trailing zeros (2.50 becomes 2.5): such a number keeps its text too
        return exact.scale() <= 0 || exact.stripTrailingZeros().scale() == exact.scale();
    }

    /** The number's double, Infinity past the range (Jackson 3's {@code doubleValue()} throws there instead). */
    private static double asDouble(JsonNode number) {
        if (number.isBigInteger()) return number.bigIntegerValue().doubleValue();
        if (number.isBigDecimal()) return number.decimalValue().doubleValue();
        return number.asDouble();
    }

    private static boolean sameNumber(JsonNode a, JsonNode b) {
        return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
}
