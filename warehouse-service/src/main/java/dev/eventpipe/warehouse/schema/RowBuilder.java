package dev.eventpipe.warehouse.schema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Collects the columns of one row: nested objects flattened with {@code _} (keys in sorted order, so of two keys
 * that end up with the same column name the later one wins), values typed, keys equal to the event type's reserved
 * columns dropped, values at a JSON path kept whole as JSON.
 */
final class RowBuilder {
    /** Where an input object sits: the JSON-path key prefix and depth, and the column prefix and depth. */
    record Prefix(String completePrefix, int completeLevel, String prefix, int level) {
        Prefix nested(String key) {
            return new Prefix(completePrefix + key + "_", completeLevel + 1, prefix + key + "_", level + 1);
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    final Map<String, ColumnType> columns = new LinkedHashMap<>();
    final Map<String, JsonNode> values = new LinkedHashMap<>();
    private final String eventType;
    private final Set<String> reserved;
    private final MappingOptions options;

    RowBuilder(String eventType, Set<String> reserved, MappingOptions options) {
        this.eventType = eventType;
        this.reserved = reserved;
        this.options = options;
    }

    RowBuilder copy() {
        RowBuilder copy = new RowBuilder(eventType, reserved, options);
        copy.columns.putAll(columns);
        copy.values.putAll(values);
        return copy;
    }

    void addInput(JsonNode input, Prefix at) {
        if (!(input instanceof ObjectNode object) || object.isEmpty()) return;
        List<String> keys = new ArrayList<>(object.propertyNames());
        keys.sort(null);
        for (String key : keys) {
            JsonNode value = object.get(key);
            if (isBlank(value)) continue;
            if (isJsonPath(key, at)) put(at.prefix() + key, NODES.stringNode(value.toString()), ColumnType.JSON);
            else if (value.isObject()) addInput(value, at.nested(key));
            else putTyped(at.prefix() + key, value);
        }
    }

    /** A column set by a rule (reserved names): replaces any input column of that name, skipped when blank. */
    void rule(String column, JsonNode value) {
        String name = Names.safe(column);
        columns.remove(name);
        values.remove(name);
        if (isBlank(value) || value.isObject() || value.isArray()) return;
        Typed typed = typed(value);
        columns.put(name, typed.type());
        values.put(name, typed.value());
    }

    void set(String column, ColumnType type, JsonNode value) {
        columns.put(column, type);
        values.put(column, value);
    }

    private void putTyped(String rawKey, JsonNode value) {
        Typed typed = typed(value);
        put(rawKey, typed.value(), typed.type());
    }

    private void put(String rawKey, JsonNode value, ColumnType type) {
        String column = Names.column(rawKey, options.underscoreDivideNumbers());
        if (column.isEmpty() || reserved.contains(column)) return;
        columns.put(column, type);
        values.put(column, value);
    }

    private boolean isJsonPath(String key, Prefix at) {
        Integer depth = options.jsonPaths().get(at.completePrefix() + key);
        if (depth != null && depth == at.completeLevel()) return true;
        if (!"track".equals(eventType)) return false;
        Integer legacy = options.legacyJsonPaths().get(at.prefix() + key);
        return legacy != null && legacy == at.level();
    }

    record Typed(ColumnType type, JsonNode value) {}

    /** RudderStack's type inference: integral numbers int, other numbers float, timestamps datetime. */
    static Typed typed(JsonNode value) {
        if (value.isBoolean()) return new Typed(ColumnType.BOOLEAN, value);
        if (value.isNumber()) return number(value);
        if (value.isString()) {
            String text = value.asString();
            return Timestamps.parse(text)
                    .map(t -> new Typed(ColumnType.DATETIME, NODES.stringNode(Timestamps.format(t))))
                    .orElseGet(() -> new Typed(ColumnType.STRING, value));
        }
        return new Typed(ColumnType.STRING, NODES.stringNode(value.toString())); // arrays: their JSON text
    }

    private static Typed number(JsonNode value) {
        BigDecimal decimal = value.decimalValue();
        if (decimal.signum() == 0 || decimal.stripTrailingZeros().scale() <= 0) {
            BigInteger integer = decimal.toBigIntegerExact();
            if (integer.compareTo(LONG_MIN) >= 0 && integer.compareTo(LONG_MAX) <= 0)
                return new Typed(ColumnType.INT, NODES.numberNode(integer.longValue()));
        }
        return new Typed(ColumnType.FLOAT, NODES.numberNode(decimal));
    }

    /** RudderStack's "blank": null, "", [] and an array holding one blank string. */
    static boolean isBlank(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) return true;
        if (value.isString()) return value.asString().isEmpty();
        if (value.isArray()) {
            if (value.isEmpty()) return true;
            return value.size() == 1
                    && value.get(0).isString()
                    && value.get(0).asString().isEmpty();
        }
        return false;
    }
}
