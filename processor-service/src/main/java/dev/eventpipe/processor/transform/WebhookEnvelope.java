package dev.eventpipe.processor.transform;

import dev.eventpipe.model.config.Destination;
import dev.eventpipe.processor.pipeline.EventJson;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The WEBHOOK destination transform done in the processor instead of the transformer
 * ({@code processor.transformer.webhook-in-process}): the transformer's {@code destinations/webhook/transform.js}
 * wraps the event, unchanged but for {@code context.ip}, in the router's REST envelope, and the profile showed the
 * processor waiting most of its time for that round trip (docs/performance.md). It builds the same envelope
 * for the cases it knows to be the same: a POST, PUT or PATCH to a non-blank string URL, header values that are
 * strings, booleans or integers, a string or absent {@code anonymousId}, a standard message type. For anything
 * else it answers empty, and the caller asks the transformer as before, so every failure message and every odd
 * case stays the transformer's. Numbers are written digit for digit, as the transformer's path does too
 * (docs/numbers.md). One JSON-equal difference remains: object keys keep their order (JS moves integer-like
 * keys first).
 */
final class WebhookEnvelope {
    private static final Set<String> TYPES = Set.of("identify", "track", "page", "screen", "group", "alias");
    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH");

    private WebhookEnvelope() {}

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
        if (!(configured instanceof String s)) return null;
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
            Object to = header.get("to");
            String text;
            if (to == null) text = "null";
            else if (to instanceof String || to instanceof Boolean || to instanceof Integer || to instanceof Long)
                text = String.valueOf(to);
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

    /** JavaScript's falsiness for a JSON value (a missing one is undefined). */
    private static boolean falsy(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) return true;
        if (v.isBoolean()) return !v.booleanValue();
        if (v.isString()) return v.asString().isEmpty();
        if (v.isNumber()) return v.doubleValue() == 0 || Double.isNaN(v.doubleValue());
        return false;
    }

    /** True when Java's trim is JS's trim: every character printable ASCII, so only spaces can be trimmed. */
    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < 0x20 || s.charAt(i) > 0x7e) return false;
        return true;
    }
}
