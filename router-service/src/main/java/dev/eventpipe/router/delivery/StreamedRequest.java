package dev.eventpipe.router.delivery;

import dev.eventpipe.model.json.Json;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectWriteContext;

/**
 * {@link DeliveryRequest#parse(String)} by streaming: the usual shape of a description read token by token, its
 * {@code body.JSON} copied token by token to the bytes sent, with the numbers, strings and names written by the same
 * generator calls as the tree's serialisation makes ({@code Json.exact()}: decimals as {@code BigDecimal} in plain
 * notation, integers as int, long or BigInteger, as the tree holds them). {@link #read()} answers {@code null}, and
 * the tree reads the payload, for anything else: a value that is not a string where the tree would turn it into
 * text (endpoint, method, headers, query values), a non-empty body of another format, a body or {@code body.JSON}
 * that is not an object or array, and a name given twice in any object that matters (the tree keeps the last value
 * at the first one's place; a stream would send both). Every number skipped is read as the tree reads it, so a
 * number the tree cannot read is left to the tree too.
 */
final class StreamedRequest {
    /** Leaves the payload to the tree; thrown inside {@link #read()} only, without a stack trace. */
    private static final class LeaveToTree extends RuntimeException {
        private static final LeaveToTree INSTANCE = new LeaveToTree();

        private LeaveToTree() {
            super(null, null, false, false);
        }
    }

    private static final byte[] NO_BODY = new byte[0];

    /**
     * Json.exact()'s generator settings, without the serialisation context {@code ObjectMapper.createGenerator}
     * builds for every generator (16 % of this reading's CPU when it did).
     */
    private static final ObjectWriteContext EXACT_WRITE = Json.generatorContext(Json.exact());

    private final JsonParser parser;
    private final int payloadLength;
    /** The names of each open object of {@code body.JSON}, by depth; reused. */
    private final List<@Nullable Names> names = new ArrayList<>();

    StreamedRequest(JsonParser parser, int payloadLength) {
        this.parser = parser;
        this.payloadLength = payloadLength;
    }

    @Nullable
    DeliveryRequest read() {
        try {
            return readOrLeave();
        } catch (LeaveToTree leave) {
            return null;
        }
    }

    private DeliveryRequest readOrLeave() {
        if (parser.nextToken() != JsonToken.START_OBJECT) throw LeaveToTree.INSTANCE;
        String endpoint = null;
        String method = null;
        Map<String, @Nullable String> headers = null;
        Map<String, @Nullable String> params = null;
        byte[] json = null; // NO_BODY: seen, empty
        boolean otherBody = false;
        boolean seenMethod = false;
        boolean seenBody = false;
        for (JsonToken t = parser.nextToken(); t == JsonToken.PROPERTY_NAME; t = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "endpoint" -> {
                    if (endpoint != null || value != JsonToken.VALUE_STRING) throw LeaveToTree.INSTANCE;
                    endpoint = parser.getString();
                }
                case "method" -> {
                    if (seenMethod) throw LeaveToTree.INSTANCE;
                    seenMethod = true;
                    if (value == JsonToken.VALUE_STRING) method = parser.getString();
                    else if (value != JsonToken.VALUE_NULL) throw LeaveToTree.INSTANCE;
                }
                case "headers" -> {
                    if (headers != null) throw LeaveToTree.INSTANCE;
                    headers = strings(value);
                }
                case "params" -> {
                    if (params != null) throw LeaveToTree.INSTANCE;
                    params = strings(value);
                }
                case "body" -> {
                    if (seenBody) throw LeaveToTree.INSTANCE;
                    seenBody = true;
                    if (value == JsonToken.VALUE_NULL) continue;
                    if (value != JsonToken.START_OBJECT) throw LeaveToTree.INSTANCE;
                    boolean[] seen = new boolean[5];
                    for (JsonToken b = parser.nextToken(); b == JsonToken.PROPERTY_NAME; b = parser.nextToken()) {
                        int format = format(parser.currentName());
                        JsonToken v = parser.nextToken();
                        if (format < 0) {
                            skip(v);
                            continue;
                        }
                        if (seen[format]) throw LeaveToTree.INSTANCE;
                        seen[format] = true;
                        if (v == JsonToken.VALUE_NULL) continue;
                        if (v != JsonToken.START_OBJECT && v != JsonToken.START_ARRAY) throw LeaveToTree.INSTANCE;
                        if (format == 0) json = copy(v);
                        else otherBody |= !empty();
                    }
                }
                default -> skip(value);
            }
        }
        // the parser has checked the structure: the loop ended at the root's end; nothing may follow it
        if (parser.nextToken() != null) throw LeaveToTree.INSTANCE;
        if (endpoint == null || endpoint.isBlank()) throw LeaveToTree.INSTANCE;
        boolean hasJson = json != null && json != NO_BODY;
        if (!hasJson && otherBody) throw LeaveToTree.INSTANCE;

        method = method == null || method.isBlank() ? "POST" : method.toUpperCase(Locale.ROOT);
        Map<String, String> sent = headers == null ? new LinkedHashMap<>() : withoutNulls(headers);
        String uri = endpoint;
        if (params != null && !params.isEmpty())
            uri = endpoint + (endpoint.contains("?") ? "&" : "?") + urlEncoded(params);
        return new DeliveryRequest(method, uri, sent, hasJson ? json : null, hasJson ? "application/json" : null);
    }

    /** JSON, JSON_ARRAY, XML, FORM, GZIP as 0 to 4; -1 for any other name. */
    private static int format(String name) {
        return switch (name) {
            case "JSON" -> 0;
            case "JSON_ARRAY" -> 1;
            case "XML" -> 2;
            case "FORM" -> 3;
            case "GZIP" -> 4;
            default -> -1;
        };
    }

    /** An object of string (or null) values, in order, nulls kept; null or an empty map for a JSON null. */
    private Map<String, @Nullable String> strings(JsonToken value) {
        Map<String, @Nullable String> out = new LinkedHashMap<>();
        if (value == JsonToken.VALUE_NULL) return out;
        if (value != JsonToken.START_OBJECT) throw LeaveToTree.INSTANCE;
        for (JsonToken t = parser.nextToken(); t == JsonToken.PROPERTY_NAME; t = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken v = parser.nextToken();
            if (out.containsKey(name)) throw LeaveToTree.INSTANCE;
            if (v == JsonToken.VALUE_STRING) out.put(name, parser.getString());
            else if (v == JsonToken.VALUE_NULL) out.put(name, null);
            else throw LeaveToTree.INSTANCE;
        }
        return out;
    }

    @SuppressWarnings("unchecked") // no null value is left
    private static Map<String, String> withoutNulls(Map<String, @Nullable String> map) {
        if (map.containsValue(null)) map.values().removeIf(Objects::isNull);
        return (Map<String, String>) (Map<String, ?>) map;
    }

    private static String urlEncoded(Map<String, @Nullable String> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((k, v) -> {
            if (v == null) return;
            if (!out.isEmpty()) out.append('&');
            out.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    /** Whether the container just opened is empty; skips it either way. */
    private boolean empty() {
        JsonToken next = parser.nextToken();
        if (next == JsonToken.END_OBJECT || next == JsonToken.END_ARRAY) return true;
        if (next == JsonToken.START_OBJECT || next == JsonToken.START_ARRAY) skip(next);
        else number(next);
        skipRest(1);
        return false;
    }

    /** Skips the value just read, reading each number in it as the tree would. */
    private void skip(JsonToken value) {
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) skipRest(1);
        else number(value);
    }

    /** Skips to the end of {@code depth} open containers. */
    private void skipRest(int depth) {
        while (depth > 0) {
            JsonToken t = parser.nextToken();
            if (t == null) throw LeaveToTree.INSTANCE;
            switch (t) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                default -> number(t);
            }
        }
    }

    /** Reads a number as the tree's deserialiser does, so that one it cannot read fails here too. */
    private void number(JsonToken t) {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            switch (parser.getNumberType()) {
                case INT -> parser.getIntValue();
                case LONG -> parser.getLongValue();
                default -> parser.getBigIntegerValue();
            }
        } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            parser.getDecimalValue();
        }
    }

    /**
     * Copies the container just opened as {@code Json.exact().writeValueAsBytes(tree)} would write it; {@link #NO_BODY}
     * when it is empty (the tree's "non-empty" test).
     */
    private byte[] copy(JsonToken start) {
        JsonToken t = parser.nextToken();
        if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) return NO_BODY;
        ByteArrayOutputStream out = new ByteArrayOutputStream(payloadLength);
        try (JsonGenerator g = Json.exact().tokenStreamFactory().createGenerator(EXACT_WRITE, out)) {
            int depth = open(g, start, 0);
            while (true) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> depth = open(g, t, depth);
                    case END_OBJECT -> {
                        g.writeEndObject();
                        depth--;
                    }
                    case END_ARRAY -> {
                        g.writeEndArray();
                        depth--;
                    }
                    case PROPERTY_NAME -> {
                        String name = parser.currentName();
                        if (!Objects.requireNonNull(names.get(depth - 1)).add(name)) throw LeaveToTree.INSTANCE;
                        g.writeName(name);
                    }
                    case VALUE_STRING ->
                        g.writeString(parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength());
                    case VALUE_NUMBER_INT -> {
                        switch (parser.getNumberType()) {
                            case INT -> g.writeNumber(parser.getIntValue());
                            case LONG -> g.writeNumber(parser.getLongValue());
                            default -> g.writeNumber(parser.getBigIntegerValue());
                        }
                    }
                    case VALUE_NUMBER_FLOAT -> {
                        char[] text = parser.getStringCharacters();
                        int offset = parser.getStringOffset();
                        int length = parser.getStringLength();
                        // BigDecimal's plain form of a decimal written without exponent is its text, but for -0.0
                        if (plainAsWritten(text, offset, length)) g.writeNumber(text, offset, length);
                        else g.writeNumber(parser.getDecimalValue());
                    }
                    case VALUE_TRUE -> g.writeBoolean(true);
                    case VALUE_FALSE -> g.writeBoolean(false);
                    case VALUE_NULL -> g.writeNull();
                    default -> throw LeaveToTree.INSTANCE;
                }
                if (depth == 0) break;
                t = parser.nextToken();
                if (t == null) throw LeaveToTree.INSTANCE;
            }
        }
        return out.toByteArray();
    }

    /**
     * Whether {@code BigDecimal(text).toPlainString()} is {@code text}: a JSON decimal without exponent keeps its
     * digits, its point and its trailing zeros, and loses only the sign of a zero ({@code -0.0} is {@code 0.0}).
     */
    static boolean plainAsWritten(char[] text, int offset, int length) {
        boolean nonZero = false;
        for (int i = offset; i < offset + length; i++) {
            char c = text[i];
            if (c == 'e' || c == 'E') return false;
            if (c >= '1' && c <= '9') nonZero = true;
        }
        return nonZero || length == 0 || text[offset] != '-';
    }

    /** Writes the start of a container and opens its level (with its names, for an object); the new depth. */
    private int open(JsonGenerator g, JsonToken start, int depth) {
        Names level = null;
        if (start == JsonToken.START_OBJECT) {
            g.writeStartObject();
            level = depth < names.size() && names.get(depth) != null ? names.get(depth) : new Names();
            level.clear();
        } else {
            g.writeStartArray();
        }
        if (depth < names.size()) names.set(depth, level);
        else names.add(level);
        return depth + 1;
    }

    /** The names of one object so far: a short list of hashes, a set once it is long. */
    private static final class Names {
        private int[] hashes = new int[16];
        private String[] names = new String[16];
        private int size;
        private @Nullable Set<String> set;

        void clear() {
            size = 0;
            set = null;
        }

        /** False when the name was already there. */
        boolean add(String name) {
            if (set != null) return set.add(name);
            int h = name.hashCode();
            for (int i = 0; i < size; i++) if (hashes[i] == h && names[i].equals(name)) return false;
            if (size == names.length) {
                if (size >= 64) {
                    set = new HashSet<>(Arrays.asList(names).subList(0, size));
                    return set.add(name);
                }
                hashes = Arrays.copyOf(hashes, size * 2);
                names = Arrays.copyOf(names, size * 2);
            }
            hashes[size] = h;
            names[size++] = name;
            return true;
        }
    }
}
