package dev.eventpipe.warehouse.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns one event into its warehouse rows, by RudderStack's rules for PostgreSQL (reference warehouse.md §3.2):
 * track → {@code tracks} (common columns, {@code event}, {@code event_text}) and a table named after the event
 * (properties too); identify → {@code identifies} (traits unprefixed, {@code context_traits_*} too), which also
 * feeds {@code users} at load time; page → {@code pages}; screen → {@code screens}; group → {@code groups}; alias →
 * {@code aliases}. Properties and traits are unprefixed, the context is prefixed {@code context_}; keys that equal
 * a reserved column of the event type are dropped; every table gets {@code uuid_ts}, set when it is loaded.
 */
public final class EventMapper {
    /** RudderStack's {@code WH_MAX_COLUMNS_IN_EVENT}: an event with more columns is refused. */
    public static final int MAX_COLUMNS_IN_EVENT = 1600;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> DEFAULT_RESERVED = Set.of(
            "id",
            "anonymous_id",
            "user_id",
            "sent_at",
            "timestamp",
            "received_at",
            "original_timestamp",
            "channel",
            "context_ip",
            "context_request_ip",
            "context_passed_ip");
    private static final Map<String, Set<String>> EXTRA_RESERVED = Map.of(
            "track", Set.of("event_text", "record_id"),
            "identify", Set.of(),
            "page", Set.of("name"),
            "screen", Set.of("name"),
            "group", Set.of("group_id"),
            "alias", Set.of("previous_id"));

    private EventMapper() {}

    public static List<WarehouseRow> map(ObjectNode event, EventMeta meta, MappingOptions options) {
        String type = event.path("type").asString("").toLowerCase(Locale.ROOT);
        Set<String> extra = EXTRA_RESERVED.get(type);
        if (extra == null) throw new MappingException("Unknown event type: \"" + type + "\"");
        JsonNode context = event.get("context");
        if (context != null && !context.isNull() && !context.isObject())
            throw new MappingException("context is not an object");
        Set<String> reserved = new HashSet<>(DEFAULT_RESERVED);
        reserved.addAll(extra);
        RowBuilder base = new RowBuilder(type, reserved, options);
        List<WarehouseRow> rows = switch (type) {
            case "track" -> track(event, meta, options, base);
            case "identify" -> identify(event, meta, options, base);
            case "page" -> single("pages", event, "properties", meta, options, base, "name");
            case "screen" -> single("screens", event, "properties", meta, options, base, "name");
            case "group" -> single("groups", event, "traits", meta, options, base, "group_id");
            default -> single("aliases", event, "traits", meta, options, base, "previous_id");
        };
        for (WarehouseRow row : rows)
            if (row.columns().size() > MAX_COLUMNS_IN_EVENT)
                throw new MappingException("postgres transformer: Too many columns outputted from the event");
        return rows;
    }

    private static List<WarehouseRow> track(ObjectNode event, EventMeta meta, MappingOptions options, RowBuilder b) {
        RowBuilder common = b.copy();
        common.addInput(context(event, meta), new RowBuilder.Prefix("track_context_", 2, "context_", 0));
        common.rule("event_text", event.path("event"));
        defaultRules(common, event, meta);
        String eventName = event.path("event").isString() ? event.path("event").asString() : "";
        String snakeName = Names.snake(eventName, options.underscoreDivideNumbers());
        common.set("event", ColumnType.STRING, NODES.stringNode(snakeName));
        List<WarehouseRow> rows = new ArrayList<>();
        if (!options.skipTracksTable()) {
            RowBuilder tracks = common.copy();
            fullEvent(tracks, event, options);
            rows.add(row(Names.safe("tracks"), tracks, false));
        }
        if (!snakeName.isBlank()) {
            RowBuilder own = b.copy();
            own.addInput(event.get("properties"), new RowBuilder.Prefix("track_properties_", 2, "", 0));
            own.addInput(event.get("userProperties"), new RowBuilder.Prefix("track_userProperties_", 2, "", 0));
            common.columns.forEach((k, v) -> own.set(k, v, common.values.get(k)));
            rows.add(row(Names.eventTable(snakeName, options.underscoreDivideNumbers()), own, false));
        }
        return rows;
    }

    private static List<WarehouseRow> identify(ObjectNode event, EventMeta meta, MappingOptions options, RowBuilder b) {
        RowBuilder row = b.copy();
        row.addInput(event.get("userProperties"), new RowBuilder.Prefix("identify_userProperties_", 2, "", 0));
        if (options.allowUsersContextTraits())
            row.addInput(
                    event.path("context").get("traits"), new RowBuilder.Prefix("identify_context_traits_", 3, "", 0));
        row.addInput(event.get("traits"), new RowBuilder.Prefix("identify_traits_", 2, "", 0));
        row.addInput(context(event, meta), new RowBuilder.Prefix("identify_context_", 2, "context_", 0));
        defaultRules(row, event, meta);
        fullEvent(row, event, options);
        JsonNode userId = event.get("userId");
        boolean users = !options.skipUsersTable()
                && !RowBuilder.isBlank(userId)
                && !userId.asString("").isBlank();
        return List.of(row(Names.safe("identifies"), row, users));
    }

    private static List<WarehouseRow> single(
            String table,
            ObjectNode event,
            String input,
            EventMeta meta,
            MappingOptions options,
            RowBuilder b,
            String ruleColumn) {
        String type = event.path("type").asString("").toLowerCase(Locale.ROOT);
        RowBuilder row = b.copy();
        row.addInput(event.get(input), new RowBuilder.Prefix(type + "_" + input + "_", 2, "", 0));
        row.addInput(context(event, meta), new RowBuilder.Prefix(type + "_context_", 2, "context_", 0));
        defaultRules(row, event, meta);
        switch (ruleColumn) {
            case "name" ->
                row.rule(
                        "name",
                        firstNonBlank(
                                event.path("name"), event.path("properties").path("name")));
            case "group_id" -> row.rule("group_id", event.path("groupId"));
            default -> row.rule("previous_id", event.path("previousId"));
        }
        fullEvent(row, event, options);
        return List.of(row(Names.safe(table), row, false));
    }

    /** The columns every table gets from RudderStack's default rules. */
    private static void defaultRules(RowBuilder row, ObjectNode event, EventMeta meta) {
        row.rule("id", NODES.stringNode(meta.messageId()));
        row.rule("anonymous_id", event.path("anonymousId"));
        row.rule("user_id", event.path("userId"));
        row.rule("sent_at", event.path("sentAt"));
        row.rule("timestamp", event.path("timestamp"));
        row.rule("received_at", NODES.stringNode(meta.receivedAt()));
        row.rule("original_timestamp", event.path("originalTimestamp"));
        row.rule("channel", event.path("channel"));
        JsonNode passedIp = event.path("context").path("ip");
        row.rule("context_ip", firstNonBlank(passedIp, event.path("request_ip")));
        row.rule("context_request_ip", event.path("request_ip"));
        row.rule("context_passed_ip", passedIp);
    }

    /** The event's context with the source and destination RudderStack adds to it. */
    private static ObjectNode context(ObjectNode event, EventMeta meta) {
        ObjectNode context = event.get("context") instanceof ObjectNode given ? given.deepCopy() : NODES.objectNode();
        context.put("sourceId", meta.sourceId());
        context.put("sourceType", meta.sourceType());
        context.put("destinationId", meta.destinationId());
        context.put("destinationType", EventMeta.DESTINATION_TYPE);
        return context;
    }

    private static void fullEvent(RowBuilder row, ObjectNode event, MappingOptions options) {
        if (options.storeFullEvent()) row.set("rudder_event", ColumnType.JSON, NODES.stringNode(event.toString()));
    }

    private static JsonNode firstNonBlank(JsonNode first, JsonNode second) {
        return RowBuilder.isBlank(first) ? second : first;
    }

    private static WarehouseRow row(String table, RowBuilder b, boolean updatesUsers) {
        b.set("uuid_ts", ColumnType.DATETIME, NODES.nullNode());
        return new WarehouseRow(
                table, Collections.unmodifiableMap(b.columns), Collections.unmodifiableMap(b.values), updatesUsers);
    }
}
