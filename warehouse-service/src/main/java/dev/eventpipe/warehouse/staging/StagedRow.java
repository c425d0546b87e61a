package dev.eventpipe.warehouse.staging;

import dev.eventpipe.warehouse.schema.ColumnType;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One line of a staging file: {@code {"metadata":{"table","columns":{name:type},"receivedAt","users"},"data":{...}}}
 * (RudderStack's staging line, plus {@code users} for identifies rows that also update the users table).
 */
public record StagedRow(String table, Map<String, ColumnType> columns, ObjectNode data, boolean updatesUsers) {

    public ObjectNode toJson() {
        ObjectNode line = StagingFiles.MAPPER.createObjectNode();
        ObjectNode metadata = line.putObject("metadata");
        metadata.put("table", table);
        ObjectNode types = metadata.putObject("columns");
        columns.forEach((name, type) -> types.put(name, type.rudderName()));
        metadata.set("receivedAt", data.path("received_at"));
        if (updatesUsers) metadata.put("users", true);
        line.set("data", data);
        return line;
    }

    public static StagedRow fromJson(JsonNode line) {
        JsonNode metadata = line.path("metadata");
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        metadata.path("columns")
                .properties()
                .forEach(e -> columns.put(
                        e.getKey(), ColumnType.fromRudderName(e.getValue().asString())));
        ObjectNode data = line.get("data") instanceof ObjectNode o ? o : StagingFiles.MAPPER.createObjectNode();
        return new StagedRow(
                metadata.path("table").asString(),
                columns,
                data,
                metadata.path("users").asBoolean(false));
    }
}
