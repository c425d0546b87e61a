package dev.eventpipe.warehouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tables, columns and types of each event type. The expected names and types of the track case are the ones
 * RudderStack's warehouse transformer produces for the same event (its own test of the embedded transformer).
 */
class EventMapperTest {
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    static final EventMeta META =
            new EventMeta("messageId", "2021-09-01T00:00:00.000Z", "sourceID", "sourceType", "destinationID");
    static final String COMMON = """
            "messageId":"messageId","anonymousId":"anonymousId","userId":"userId",
            "sentAt":"2021-09-01T00:00:00.000Z","timestamp":"2021-09-01T00:00:00.000Z",
            "receivedAt":"2021-09-01T00:00:00.000Z","originalTimestamp":"2021-09-01T00:00:00.000Z",
            "channel":"web","request_ip":"5.6.7.8",
            "context":{"traits":{"name":"Richard Hendricks","email":"rhedricks@example.com","logins":2},"ip":"1.2.3.4"}
            """;
    static final Map<String, String> COMMON_COLUMNS = Map.ofEntries(
            Map.entry("anonymous_id", "string"),
            Map.entry("channel", "string"),
            Map.entry("context_destination_id", "string"),
            Map.entry("context_destination_type", "string"),
            Map.entry("context_ip", "string"),
            Map.entry("context_passed_ip", "string"),
            Map.entry("context_request_ip", "string"),
            Map.entry("context_source_id", "string"),
            Map.entry("context_source_type", "string"),
            Map.entry("context_traits_email", "string"),
            Map.entry("context_traits_logins", "int"),
            Map.entry("context_traits_name", "string"),
            Map.entry("id", "string"),
            Map.entry("original_timestamp", "datetime"),
            Map.entry("received_at", "datetime"),
            Map.entry("sent_at", "datetime"),
            Map.entry("timestamp", "datetime"),
            Map.entry("user_id", "string"),
            Map.entry("uuid_ts", "datetime"));

    static ObjectNode event(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    static List<WarehouseRow> map(String json) {
        return EventMapper.map(event(json), META, MappingOptions.defaults());
    }

    static Map<String, String> types(WarehouseRow row) {
        Map<String, String> out = new TreeMap<>();
        row.columns().forEach((k, v) -> out.put(k, v.rudderName()));
        return out;
    }

    @Test
    void aTrackEventFillsTracksAndItsOwnTableWithRudderStacksColumns() {
        List<WarehouseRow> rows = map("""
                {"type":"track",%s,"event":"event",
                 "properties":{"review_id":"86ac1cd43","product_id":"9578257311"},
                 "userProperties":{"rating":3.0,"review_body":"OK for the price."}}""".formatted(COMMON));
        assertThat(rows).extracting(WarehouseRow::table).containsExactly("tracks", "event");
        Map<String, String> tracks = new TreeMap<>(COMMON_COLUMNS);
        tracks.put("event", "string");
        tracks.put("event_text", "string");
        assertThat(types(rows.get(0))).isEqualTo(tracks);
        Map<String, String> own = new TreeMap<>(tracks);
        own.put("product_id", "string");
        own.put("rating", "int");
        own.put("review_body", "string");
        own.put("review_id", "string");
        assertThat(types(rows.get(1))).isEqualTo(own);
        assertThat(rows.get(1).values().get("context_ip").asString()).isEqualTo("1.2.3.4");
        assertThat(rows.get(1).values().get("context_request_ip").asString()).isEqualTo("5.6.7.8");
        assertThat(rows.get(1).values().get("context_destination_type").asString())
                .isEqualTo("POSTGRES");
        assertThat(rows.get(1).values().get("rating").asLong()).isEqualTo(3);
    }

    @Test
    void eventNamesBecomeSnakeCasedTablesAndKeepTheirTextInEventText() {
        List<WarehouseRow> rows = map("""
                {"type":"track",%s,"event":"Order Completed"}""".formatted(COMMON));
        assertThat(rows.get(1).table()).isEqualTo("order_completed");
        assertThat(rows.get(1).values().get("event").asString()).isEqualTo("order_completed");
        assertThat(rows.get(1).values().get("event_text").asString()).isEqualTo("Order Completed");
        assertThat(map("{\"type\":\"track\",%s,\"event\":\"users\"}".formatted(COMMON))
                        .get(1)
                        .table())
                .isEqualTo("_users");
        assertThat(map("{\"type\":\"track\",%s,\"event\":\"!!!\"}".formatted(COMMON)))
                .extracting(WarehouseRow::table)
                .containsExactly("tracks");
    }

    @Test
    void identifyWritesTraitsUnprefixedAndMarksTheRowForUsers() {
        List<WarehouseRow> rows = map("""
                {"type":"identify",%s,"traits":{"plan":"pro","address":{"city":"Oslo"},"tags":["a","b"],
                 "user_id":"ignored","id":"ignored too"}}""".formatted(COMMON));
        WarehouseRow row = rows.getFirst();
        assertThat(row.table()).isEqualTo("identifies");
        assertThat(row.updatesUsers()).isTrue();
        assertThat(types(row))
                .containsEntry("plan", "string")
                .containsEntry("address_city", "string")
                .containsEntry("tags", "string")
                .containsEntry("context_traits_name", "string");
        assertThat(row.values().get("tags").asString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(row.values().get("user_id").asString()).isEqualTo("userId");
        assertThat(row.values().get("id").asString()).isEqualTo("messageId");
    }

    @Test
    void anonymousIdentifiesDoNotUpdateUsersNorWhenTheUsersTableIsSkipped() {
        assertThat(map("{\"type\":\"identify\",\"anonymousId\":\"a\",\"traits\":{\"x\":1}}")
                        .getFirst()
                        .updatesUsers())
                .isFalse();
        ObjectNode event = event("{\"type\":\"identify\",\"userId\":\"u\"}");
        MappingOptions skip = MappingOptions.of(Map.of("skipUsersTable", true), event);
        assertThat(EventMapper.map(event, META, skip).getFirst().updatesUsers()).isFalse();
    }

    @Test
    void pagesScreensGroupsAndAliasesHaveTheirRuleColumns() {
        assertThat(types(map("{\"type\":\"page\",%s,\"name\":\"Home\",\"properties\":{\"path\":\"/\"}}"
                                .formatted(COMMON))
                        .getFirst()))
                .containsEntry("name", "string")
                .containsEntry("path", "string");
        WarehouseRow screen = map("{\"type\":\"screen\",%s,\"properties\":{\"name\":\"Main\"}}".formatted(COMMON))
                .getFirst();
        assertThat(screen.table()).isEqualTo("screens");
        assertThat(screen.values().get("name").asString()).isEqualTo("Main");
        WarehouseRow group = map("{\"type\":\"group\",%s,\"groupId\":\"g1\",\"traits\":{\"employees\":12}}"
                        .formatted(COMMON))
                .getFirst();
        assertThat(group.table()).isEqualTo("groups");
        assertThat(types(group)).containsEntry("group_id", "string").containsEntry("employees", "int");
        WarehouseRow alias = map("{\"type\":\"alias\",%s,\"previousId\":\"old\"}".formatted(COMMON))
                .getFirst();
        assertThat(alias.table()).isEqualTo("aliases");
        assertThat(alias.values().get("previous_id").asString()).isEqualTo("old");
    }

    @Test
    void typesAreInferredFromJsonValues() {
        WarehouseRow row = map("""
                {"type":"track","event":"e","messageId":"m","properties":{"i":42,"f":4.5,"big":12345678901234567890,
                 "whole":2.0,"b":true,"when":"2024-01-02T03:04:05+01:00","text":"hello","empty":"","none":null,
                 "list":[],"blankList":[""]}}""").get(1);
        assertThat(types(row))
                .containsEntry("i", "int")
                .containsEntry("f", "float")
                .containsEntry("big", "float")
                .containsEntry("whole", "int")
                .containsEntry("b", "boolean")
                .containsEntry("_when", "datetime") // "when" is a reserved word
                .containsEntry("text", "string")
                .doesNotContainKeys("empty", "none", "list", "blank_list");
        assertThat(row.values().get("_when").asString()).isEqualTo("2024-01-02T02:04:05.000Z");
        assertThat(row.values().get("big").decimalValue()).isEqualByComparingTo("12345678901234567890");
    }

    @Test
    void jsonPathsKeepAValueWholeAsJson() {
        ObjectNode event = event("""
                {"type":"track","event":"e","messageId":"m","properties":{"cart":{"items":[1,2],"total":3},
                 "legacy":{"x":1},"plain":{"y":2}}}""");
        MappingOptions options = MappingOptions.of(Map.of("jsonPaths", "track.properties.cart, legacy"), event);
        WarehouseRow row = EventMapper.map(event, META, options).get(1);
        assertThat(types(row))
                .containsEntry("cart", "json")
                .containsEntry("legacy", "json")
                .containsEntry("plain_y", "int")
                .doesNotContainKey("cart_total");
        assertThat(JSON.readTree(row.values().get("cart").asString())
                        .path("total")
                        .asInt())
                .isEqualTo(3);
    }

    @Test
    void skipTracksTableLeavesOnlyTheEventsOwnTable() {
        ObjectNode event = event("{\"type\":\"track\",\"event\":\"e\",\"messageId\":\"m\"}");
        List<WarehouseRow> rows =
                EventMapper.map(event, META, MappingOptions.of(Map.of("skipTracksTable", "true"), event));
        assertThat(rows).extracting(WarehouseRow::table).containsExactly("e");
    }

    @Test
    void unmappableEventsAreRefusedWithAReason() {
        assertThatThrownBy(() -> map("{\"type\":\"merge\"}")).hasMessageContaining("Unknown event type");
        assertThatThrownBy(() -> map("{\"type\":\"track\",\"event\":\"e\",\"context\":\"x\"}"))
                .hasMessageContaining("context is not an object");
        StringBuilder many = new StringBuilder("{\"type\":\"track\",\"event\":\"e\",\"properties\":{");
        for (int i = 0; i < 1700; i++)
            many.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":1");
        assertThatThrownBy(() -> map(many.append("}}").toString())).hasMessageContaining("Too many columns");
    }
}
