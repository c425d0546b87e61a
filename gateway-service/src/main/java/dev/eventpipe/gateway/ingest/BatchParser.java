package dev.eventpipe.gateway.ingest;

import dev.eventpipe.gateway.reply.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the events of a request and checks them in RudderStack's order (rs:gateway/handle.go
 * {@code getJobDataFromRequest}): valid JSON, then per event "is an object" and "has an identity". A single-event
 * route's body is one event whose {@code type} is set to the route's; a batch body is {@code {"batch": [...]}}.
 *
 * <p>Beyond RudderStack, fields that SDKs always send with one JSON type must have that type when present and not
 * null (strings: {@code type}, {@code event}, {@code messageId}; objects: {@code context}, {@code properties},
 * {@code traits}, {@code integrations}); {@code userId}/{@code anonymousId} must be strings or numbers (numbers
 * are used as their JSON text, as RudderStack stringifies them). Anything else is 400
 * {@code event is not a valid rudder event}, so malformed events never reach a destination.
 */
final class BatchParser {
    private static final Set<String> STRING_FIELDS = Set.of("type", "event", "messageId");
    private static final Set<String> OBJECT_FIELDS = Set.of("context", "properties", "traits", "integrations");
    // rETL and extract events carry no user (rs: isNonIdentifiable).
    private static final Set<String> ANONYMOUS_TYPES = Set.of("extract", "record");

    private final JsonMapper mapper;
    private final boolean allowAnonymous;

    BatchParser(JsonMapper mapper, boolean allowAnonymous) {
        this.mapper = mapper;
        this.allowAnonymous = allowAnonymous;
    }

    /**
     * @param singleType the route's event type for single-event routes, null for batch routes
     */
    Parsed parse(byte[] body, @Nullable String singleType) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JacksonException | EventJson.NumberOutOfRange e) {
            return new Parsed.Invalid(Reply.INVALID_JSON);
        }
        if (root == null || root.isMissingNode()) return new Parsed.Invalid(Reply.INVALID_JSON);
        List<JsonNode> elements;
        if (singleType != null) {
            if (!(root instanceof ObjectNode event)) return new Parsed.Invalid(Reply.NOT_RUDDER_EVENT);
            event.put("type", singleType);
            elements = List.of(event);
        } else {
            elements = batchElements(root);
        }
        if (elements.isEmpty()) return new Parsed.Invalid(Reply.EMPTY_BATCH);
        return events(elements);
    }

    /** Checks already-built events (webhook): identity and types as for any other event. */
    Parsed events(List<JsonNode> elements) {
        List<ParsedEvent> events = new ArrayList<>(elements.size());
        for (JsonNode element : elements) {
            if (!(element instanceof ObjectNode event) || !wellTyped(event)) {
                return new Parsed.Invalid(Reply.NOT_RUDDER_EVENT);
            }
            // Segment's clients put the write key in every event: a credential, never stored or delivered
            event.remove("writeKey");
            String anonymousId = identifier(event.get("anonymousId"));
            String userId = identifier(event.get("userId"));
            if (anonymousId.isEmpty() && userId.isEmpty() && !allowAnonymous && !anonymousType(event)) {
                return new Parsed.Invalid(Reply.NON_IDENTIFIABLE);
            }
            events.add(new ParsedEvent(event, anonymousId, userId));
        }
        return new Parsed.Events(events);
    }

    // Like gjson's Array(): a missing or null "batch" is empty, a non-array value is a batch of one.
    private static List<JsonNode> batchElements(JsonNode root) {
        JsonNode batch = root.isObject() ? root.get("batch") : null;
        if (batch == null || batch.isNull()) return List.of();
        if (!batch.isArray()) return List.of(batch);
        List<JsonNode> elements = new ArrayList<>(batch.size());
        batch.values().forEach(elements::add);
        return elements;
    }

    private static boolean wellTyped(ObjectNode event) {
        for (String field : STRING_FIELDS) {
            JsonNode v = event.get(field);
            if (v != null && !v.isNull() && !v.isString()) return false;
        }
        for (String field : OBJECT_FIELDS) {
            JsonNode v = event.get(field);
            if (v != null && !v.isNull() && !v.isObject()) return false;
        }
        return identifierTyped(event.get("anonymousId")) && identifierTyped(event.get("userId"));
    }

    private static boolean identifierTyped(@Nullable JsonNode v) {
        return v == null || v.isNull() || v.isString() || v.isNumber();
    }

    private static String identifier(@Nullable JsonNode v) {
        if (v == null || v.isNull()) return "";
        return Identifiers.clean(v.isString() ? v.stringValue() : v.asString());
    }

    private static boolean anonymousType(ObjectNode event) {
        JsonNode type = event.get("type");
        return type != null && type.isString() && ANONYMOUS_TYPES.contains(type.stringValue());
    }
}
