package dev.eventpipe.warehouse.load;

import dev.eventpipe.warehouse.schema.ColumnType;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Turns a staged value into the text PostgreSQL reads for a column, when the column's type in the warehouse is not
 * the type the value was inferred as: the warehouse's type wins (RudderStack's rules). A text column takes any
 * value as text; a numeric column takes an integer; a jsonb column takes any value as JSON; anything else cannot
 * convert, and the value is discarded (nulled in the row, written to {@code rudder_discards} with the reason).
 * Unlike RudderStack, a fractional number is not truncated into a bigint column: it is discarded, so no value
 * changes silently. NUL characters, which PostgreSQL text cannot hold, become U+FFFD.
 */
final class ValueConverter {
    /** The text for COPY (null for SQL NULL), or the reason it was discarded. */
    record Converted(@Nullable String text, @Nullable String discardReason) {
        static Converted of(@Nullable String text) {
            return new Converted(text, null);
        }
    }

    private ValueConverter() {}

    /** {@code target} null: a column of a type this schema does not create; the text is sent for PostgreSQL to cast. */
    static Converted convert(JsonNode value, ColumnType inferred, @Nullable ColumnType target) {
        if (value.isNull() || value.isMissingNode()) return Converted.of(null);
        if (target == null) return Converted.of(text(value));
        if (target == inferred) return Converted.of(sameType(value, target));
        return switch (target) {
            case STRING -> Converted.of(text(value));
            case FLOAT -> inferred == ColumnType.INT ? Converted.of(number(value)) : incompatible(target, inferred);
            case JSON -> Converted.of(json(value, inferred));
            case INT, DATETIME, BOOLEAN -> incompatible(target, inferred);
        };
    }

    private static Converted incompatible(ColumnType target, ColumnType inferred) {
        return new Converted(
                null, "incompatible schema conversion from " + target.rudderName() + " to " + inferred.rudderName());
    }

    private static String sameType(JsonNode value, ColumnType type) {
        return switch (type) {
            case INT, FLOAT -> number(value);
            case BOOLEAN -> value.asBoolean() ? "t" : "f";
            case JSON -> cleanJson(value.isString() ? value.asString() : value.toString());
            default -> cleanText(value.isString() ? value.asString() : value.toString());
        };
    }

    private static String text(JsonNode value) {
        if (value.isNumber()) return number(value);
        return cleanText(value.isString() ? value.asString() : value.toString());
    }

    private static String json(JsonNode value, ColumnType inferred) {
        if (inferred == ColumnType.STRING || inferred == ColumnType.DATETIME)
            return cleanJson(
                    JsonNodeFactory.instance.stringNode(value.asString()).toString());
        return cleanJson(value.isString() ? value.asString() : value.toString());
    }

    private static String number(JsonNode value) {
        BigDecimal decimal = value.decimalValue();
        return decimal.toPlainString();
    }

    /** PostgreSQL text cannot hold U+0000. */
    static String cleanText(String text) {
        return text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }

    /** Nor can jsonb, as a character or as its escape. */
    static String cleanJson(String json) {
        String text = cleanText(json);
        return text.contains("\\u0000") ? text.replace("\\u0000", "\\ufffd") : text;
    }
}
