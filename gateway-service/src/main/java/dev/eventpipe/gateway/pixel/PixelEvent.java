package dev.eventpipe.gateway.pixel;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the event of a pixel request as RudderStack does: {@code channel: "web"}, {@code integrations: {All:
 * true}}, {@code originalTimestamp} and {@code sentAt} set to now, then every query parameter but the write key
 * (a dotted name such as {@code context.page.url} becomes a nested field), then {@code type}. A quoted
 * {@code anonymousId} loses its quotes; an empty page {@code name} becomes "Unknown Page"; a track pixel with an
 * empty {@code event} is dropped.
 */
final class PixelEvent {
    private PixelEvent() {}

    static Optional<JsonNode> of(JsonMapper json, String type, Map<String, String[]> query, Instant now) {
        ObjectNode event = json.createObjectNode();
        event.put("channel", "web");
        event.putObject("integrations").put("All", true);
        event.put("originalTimestamp", now.toString());
        event.put("sentAt", now.toString());
        for (Map.Entry<String, String[]> param : query.entrySet()) {
            if (param.getKey().equals("writeKey") || param.getValue().length == 0) continue;
            String value = param.getValue()[0];
            if (param.getKey().equals("anonymousId")
                    && value.length() >= 2
                    && value.startsWith("\"")
                    && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            put(event, param.getKey(), value);
        }
        event.put("type", type);
        if (type.equals("page")
                && query.containsKey("name")
                && event.path("name").asString("").isEmpty()) {
            event.put("name", "Unknown Page");
        }
        if (type.equals("track")
                && query.containsKey("event")
                && event.path("event").asString("").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(event);
    }

    private static void put(ObjectNode event, String path, String value) {
        String[] parts = path.split("\\.");
        ObjectNode target = event;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = target.get(parts[i]);
            target = child instanceof ObjectNode object ? object : target.putObject(parts[i]);
        }
        target.put(parts[parts.length - 1], value);
    }
}
