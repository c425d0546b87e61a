package dev.eventpipe.processor.transform;

import dev.eventpipe.model.config.Destination;
import dev.eventpipe.processor.pipeline.JsonText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.node.MissingNode;

/**
 * The WEBHOOK destination transform done in the processor instead of the transformer
 * ({@code processor.transformer.webhook-in-process}, on by default): the transformer's
 * {@code destinations/webhook/transform.js} wraps the event, unchanged but for {@code context.ip}, in the router's
 * REST envelope, and the profile showed the processor waiting most of its time for that round trip
 * (docs/performance.md). It builds the same envelope for the cases it knows to be the same: a POST, PUT or PATCH
 * to a non-blank printable-ASCII string URL, header names of printable ASCII (not {@code __proto__}, which a
 * JavaScript object drops) with values that are strings, booleans or integers a double carries, a string or absent
 * {@code anonymousId}, a standard message type, an event at most {@value #MAX_DEPTH} levels deep, without a lone
 * surrogate in a key, whose numbers come back from the transformer as they went in. For anything else it answers empty, and the caller asks the
 * transformer as before, so every failure message and every odd case stays the transformer's. Held to the
 * transformer's own output by {@code WebhookEnvelopeTest} (its fixtures) and {@code
 * WebhookEnvelopeAgainstTransformerIT} (hostile events and configs against the real service).
 *
 * <p>Numbers: JavaScript reads each as a double, and the transformer's {@code ExactNumbers} puts back, in place of
 * every output number with the same double value, the input number a double could not carry (docs/numbers.md).
 * So an event's numbers reach the destination as they came unless a number's double is not finite (JavaScript
 * writes {@code null}) or negative zero (written {@code 0}, not put back), or two numbers of the event written
 * differently share a double of which one is not carried exactly ({@code 2.50} and {@code 2.5}, {@code 1e-400}
 * and {@code 0}): each gets the other's text, or JavaScript's. Those events go to the transformer. One JSON-equal
 * difference remains: object keys keep their order (JS moves integer-like keys first).
 */
final class WebhookEnvelope {
    private static final Set<String> TYPES = Set.of("identify", "track", "page", "screen", "group", "alias");
    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH");
    /** Deeper events go to the transformer, whose answer nests them deeper than the processor reads. */
    static final int MAX_DEPTH = 256;

    private static final long MAX_SAFE = 1L << 53;
    private static final BigInteger MAX_SAFE_BIG = BigInteger.valueOf(MAX_SAFE);

    private final String method;
    private final String endpoint;
    /** {@code content-type} first, then the configured headers; a repeated name keeps its first place. */
    private final Map<String, String> headers;

    private WebhookEnvelope(String method, String endpoint, Map<String, String> headers) {
        this.method = method;
        this.endpoint = endpoint;
        this.headers = headers;
    }

    /**
     * The destination's part of the envelope (method, endpoint, headers), or null when the transformer must decide
     * for this config, whatever the event.
     */
    static @Nullable WebhookEnvelope forDestination(Destination destination) {
        Map<String, Object> cfg = destination.config();
        if (!(cfg.get("webhookUrl") instanceof String rawUrl) || !printableAscii(rawUrl) || rawUrl.isBlank())
            return null;
        String method = method(cfg.get("webhookMethod"));
        if (method == null) return null;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        if (!addHeaders(headers, cfg.get("headers"))) return null;
        return new WebhookEnvelope(method, rawUrl.trim(), headers);
    }

    /** The delivery for this event and destination, or empty when the transformer must decide. */
    static Optional<String> of(JsonNode message, Destination destination) {
        WebhookEnvelope envelope = forDestination(destination);
        return envelope == null || !envelope.accepts(message) ? Optional.empty() : Optional.of(envelope.write(message));
    }

    /** Whether this event's delivery is built here (else the transformer decides). */
    boolean accepts(JsonNode message) {
        if (!message.isObject() || !TYPES.contains(typeOf(message))) return false;
        JsonNode anonymousId = message.path("anonymousId");
        if (!anonymousId.isMissingNode() && !anonymousId.isNull() && !anonymousId.isString()) return false;
        return numbersComeBackAsTheyWent(message);
    }

    /**
     * The delivery's JSON text for an event it {@link #accepts}: {@code {"version":"1","type":"REST","method",
     * "endpoint","headers","params":{},"body":{"JSON":<event>,"JSON_ARRAY":{},"XML":{},"FORM":{}},"files":{},
     * "userId"}}, written straight to the generator (issue 16: no envelope tree, and no copy of the event for
     * {@code context.ip}, which is written in its place), the same text as that tree serialised
     * ({@code WebhookEnvelopeTextTest}).
     */
    String write(JsonNode message) {
        JsonNode anonymousId = message.path("anonymousId");
        String userId = anonymousId.isString() ? anonymousId.asString() : "";
        return JsonText.write((g, ctxt) -> {
            g.writeStartObject();
            g.writeStringProperty("version", "1");
            g.writeStringProperty("type", "REST");
            g.writeStringProperty("method", method);
            g.writeStringProperty("endpoint", endpoint);
            g.writeName("headers");
            g.writeStartObject();
            for (var h : headers.entrySet()) g.writeStringProperty(h.getKey(), h.getValue());
            g.writeEndObject();
            g.writeName("params");
            emptyObject(g);
            g.writeName("body");
            g.writeStartObject();
            g.writeName("JSON");
            writeWithContextIp(g, ctxt, message);
            g.writeName("JSON_ARRAY");
            emptyObject(g);
            g.writeName("XML");
            emptyObject(g);
            g.writeName("FORM");
            emptyObject(g);
            g.writeEndObject();
            g.writeName("files");
            emptyObject(g);
            g.writeStringProperty("userId", userId);
            g.writeEndObject();
        });
    }

    private static void emptyObject(JsonGenerator g) {
        g.writeStartObject();
        g.writeEndObject();
    }

    /**
     * The event as transform.js leaves it: {@code context} an object, {@code context.ip} from {@code request_ip}
     * when the event's is falsy and {@code request_ip} is not. What an {@code ObjectNode} copy would hold: a
     * {@code context} that is not an object is replaced in its place (added last when missing), an {@code ip}
     * replaced in its place (added last to {@code context} when missing).
     */
    private static void writeWithContextIp(JsonGenerator g, SerializationContext ctxt, JsonNode message) {
        JsonNode requestIp = message.path("request_ip");
        g.writeStartObject();
        boolean context = false;
        for (var e : message.properties()) {
            g.writeName(e.getKey());
            if (e.getKey().equals("context")) {
                writeContext(g, ctxt, e.getValue(), requestIp);
                context = true;
            } else {
                e.getValue().serialize(g, ctxt);
            }
        }
        if (!context) {
            g.writeName("context");
            writeContext(g, ctxt, MissingNode.getInstance(), requestIp);
        }
        g.writeEndObject();
    }

    private static void writeContext(JsonGenerator g, SerializationContext ctxt, JsonNode context, JsonNode requestIp) {
        boolean setIp = !falsy(requestIp) && (!context.isObject() || falsy(context.path("ip")));
        if (context.isObject() && !setIp) {
            context.serialize(g, ctxt);
            return;
        }
        g.writeStartObject();
        boolean ip = false;
        if (context.isObject()) {
            for (var e : context.properties()) {
                g.writeName(e.getKey());
                if (e.getKey().equals("ip")) {
                    requestIp.serialize(g, ctxt);
                    ip = true;
                } else {
                    e.getValue().serialize(g, ctxt);
                }
            }
        }
        if (setIp && !ip) {
            g.writeName("ip");
            requestIp.serialize(g, ctxt);
        }
        g.writeEndObject();
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
    private static boolean addHeaders(Map<String, String> headers, Object configured) {
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
