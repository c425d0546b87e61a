package dev.eventpipe.processor.transform;

import dev.eventpipe.model.config.Destination;
import dev.eventpipe.processor.pipeline.EventJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The in-process WEBHOOK envelope as it was built before issue 16's streaming rewrite: an {@code ObjectNode} tree
 * (with a deep copy of the event for {@code context.ip}), serialised with {@code EventJson.MAPPER}. Kept, unchanged
 * but for its name and this comment, as the reference {@code WebhookEnvelopeTextTest} holds {@link
 * WebhookEnvelope}'s text to, byte for byte.
 */
final class WebhookEnvelopeTree {
    private static final Set<String> TYPES = Set.of("identify", "track", "page", "screen", "group", "alias");
    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH");
    /** Deeper events go to the transformer, whose answer nests them deeper than the processor reads. */
    static final int MAX_DEPTH = 256;

    private static final long MAX_SAFE = 1L << 53;
    private static final BigInteger MAX_SAFE_BIG = BigInteger.valueOf(MAX_SAFE);

    private WebhookEnvelopeTree() {}

    /** The delivery for this event and destination, or empty when the transformer must decide. */
    static Optional<ObjectNode> of(JsonNode message, Destination destination) {
        if (!message.isObject() || !TYPES.contains(typeOf(message))) return Optional.empty();
        Map<String, Object> cfg = destination.config();
        if (!(cfg.get("webhookUrl") instanceof String rawUrl) || !printableAscii(rawUrl) || rawUrl.isBlank())
            return Optional.empty();
        String method = method(cfg.get("webhookMethod"));
        if (method == null) return Optional.empty();
        ObjectNode headers = EventJson.MAPPER.createObjectNode();
        headers.put("content-type", "application/json");
        if (!addHeaders(headers, cfg.get("headers"))) return Optional.empty();
        JsonNode anonymousId = message.path("anonymousId");
        if (!anonymousId.isMissingNode() && !anonymousId.isNull() && !anonymousId.isString()) return Optional.empty();
        if (!numbersComeBackAsTheyWent(message)) return Optional.empty();

        ObjectNode envelope = EventJson.MAPPER.createObjectNode();
        envelope.put("version", "1");
        envelope.put("type", "REST");
        envelope.put("method", method);
        envelope.put("endpoint", rawUrl.trim());
        envelope.set("headers", headers);
        envelope.set("params", EventJson.MAPPER.createObjectNode());
        ObjectNode body = envelope.putObject("body");
        body.set("JSON", withContextIp((ObjectNode) message));
        body.putObject("JSON_ARRAY");
        body.putObject("XML");
        body.putObject("FORM");
        envelope.putObject("files");
        envelope.put("userId", anonymousId.isString() ? anonymousId.asString() : "");
        return Optional.of(envelope);
    }

    private static String typeOf(JsonNode message) {
        JsonNode type = message.path("type");
        return type.isString() ? type.asString().toLowerCase(Locale.ROOT) : "";
    }

    /** {@code String(cfg.webhookMethod || 'POST').toUpperCase()}, when it is one of the methods with a body. */
    private static String method(Object configured) {
        if (configured == null || Boolean.FALSE.equals(configured) || "".equals(configured)) return "POST";
        if (!(configured instanceof String s) || !printableAscii(s)) return null;
        String upper = s.toUpperCase(Locale.ROOT);
        return METHODS.contains(upper) ? upper : null;
    }

    /** Adds the configured headers as transform.js does; false for a value whose JS text this might not match. */
    private static boolean addHeaders(ObjectNode headers, Object configured) {
        if (configured == null) return true;
        if (!(configured instanceof List<?> list)) return true; // transform.js ignores anything but an array
        for (Object element : list) {
            if (!(element instanceof Map<?, ?> header) || !(header.get("from") instanceof String from)) continue;
            if (!printableAscii(from)) return false;
            if (from.isBlank()) continue;
            if (!header.containsKey("to")) continue; // undefined: skipped by transform.js
            if (from.trim().equals("__proto__")) return false; // sets a JavaScript object's prototype: no header
            Object to = header.get("to");
            String text;
            if (to == null) text = "null";
            else if (to instanceof String || to instanceof Boolean || to instanceof Integer) text = String.valueOf(to);
            else if (to instanceof Long l && Math.abs(l) <= MAX_SAFE) text = String.valueOf(to); // a double's digits
            else return false;
            headers.put(from.trim(), text);
        }
        return true;
    }

    /** The event as transform.js leaves it: {@code context} an object, {@code context.ip} from {@code request_ip}. */
    private static ObjectNode withContextIp(ObjectNode message) {
        JsonNode context = message.path("context");
        boolean needsIp = !context.isObject() || falsy(context.path("ip"));
        JsonNode requestIp = message.path("request_ip");
        if (context.isObject() && !(needsIp && !falsy(requestIp))) return message; // unchanged: no copy
        ObjectNode copy = message.deepCopy(); // the event may be shared by several destinations
        ObjectNode ctx = context.isObject() ? (ObjectNode) copy.get("context") : EventJson.MAPPER.createObjectNode();
        if (!context.isObject()) copy.set("context", ctx);
        if (falsy(ctx.path("ip")) && !falsy(requestIp)) ctx.set("ip", requestIp);
        return copy;
    }

    /**
     * Whether every number of the event reaches the destination through the transformer as it is here (see the
     * class comment), and the event is at most {@value #MAX_DEPTH} levels deep. Numbers a double carries exactly
     * (the usual case) cost one look each; the rest, a second walk.
     */
    static boolean numbersComeBackAsTheyWent(JsonNode message) {
        List<JsonNode> inexact = new ArrayList<>(0);
        if (!walk(message, 1, inexact)) return false;
        if (inexact.isEmpty()) return true;
        Map<Double, String> restored = new HashMap<>();
        for (JsonNode n : inexact) {
            double d = doubleOf(n);
            if (!Double.isFinite(d) || Double.doubleToRawLongBits(d) == Double.doubleToRawLongBits(-0.0)) return false;
            // the transformer keeps the first, or no number at all when they differ in value
            String previous = restored.putIfAbsent(d, plain(n));
            if (previous != null && !previous.equals(plain(n))) return false;
        }
        return sameDoubleSameText(message, restored);
    }

    /**
     * False past the depth limit or for a key with a lone surrogate (the transformer refuses such a request, 400,
     * while the same in a value passes); collects the numbers a double does not carry.
     */
    private static boolean walk(JsonNode node, int depth, List<JsonNode> inexact) {
        if (depth > MAX_DEPTH) return false;
        if (node.isObject()) {
            for (var e : node.properties())
                if (loneSurrogate(e.getKey()) || !walk(e.getValue(), depth + 1, inexact)) return false;
        } else if (node.isArray()) {
            for (JsonNode child : node.values()) if (!walk(child, depth + 1, inexact)) return false;
        } else if (node.isNumber() && !survivesDouble(node)) inexact.add(node);
        return true;
    }

    private static boolean loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) continue;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
            else return true;
        }
        return false;
    }

    /** False when a number shares its double with a restored one but is written differently. */
    private static boolean sameDoubleSameText(JsonNode node, Map<Double, String> restored) {
        if (node.isContainer()) {
            for (JsonNode child : node.values()) if (!sameDoubleSameText(child, restored)) return false;
            return true;
        }
        if (!node.isNumber()) return true;
        String text = restored.get(doubleOf(node));
        return text == null || text.equals(plain(node));
    }

    /** The number as JavaScript reads it: a double, infinite when out of range (Jackson's doubleValue() throws). */
    private static double doubleOf(JsonNode number) {
        return number.isInt() ? number.intValue() : number.decimalValue().doubleValue();
    }

    private static String plain(JsonNode number) {
        return number.decimalValue().toPlainString();
    }

    /**
     * The transformer's {@code ExactNumbers.survivesDouble}: whether JavaScript writes this number back with the
     * same digits (as a double's shortest decimal), trailing zeros included.
     */
    static boolean survivesDouble(JsonNode number) {
        if (number.isInt() || number.isShort()) return true;
        if (number.isLong() && number.longValue() != Long.MIN_VALUE)
            return Math.abs(number.longValue()) <= MAX_SAFE || survivesDouble(new BigDecimal(number.longValue()));
        if (number.isIntegralNumber() && number.bigIntegerValue().abs().compareTo(MAX_SAFE_BIG) <= 0) return true;
        return survivesDouble(
                number.isIntegralNumber() ? new BigDecimal(number.bigIntegerValue()) : number.decimalValue());
    }

    private static boolean survivesDouble(BigDecimal exact) {
        double d = exact.doubleValue();
        if (!Double.isFinite(d) || new BigDecimal(Double.toString(d)).compareTo(exact) != 0) return false;
        return exact.scale() <= 0 || exact.stripTrailingZeros().scale() == exact.scale();
    }

    /** JavaScript's falsiness for a JSON value (a missing one is undefined). */
    private static boolean falsy(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) return true;
        if (v.isBoolean()) return !v.booleanValue();
        if (v.isString()) return v.asString().isEmpty();
        if (v.isNumber()) return doubleOf(v) == 0 || Double.isNaN(doubleOf(v));
        return false;
    }

    /** True when Java's trim is JS's trim: every character printable ASCII, so only spaces can be trimmed. */
    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < 0x20 || s.charAt(i) > 0x7e) return false;
        return true;
    }
}
