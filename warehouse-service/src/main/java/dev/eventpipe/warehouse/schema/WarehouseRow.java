package dev.eventpipe.warehouse.schema;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One row for one warehouse table, as a staging file line carries it: the column types inferred from this event
 * and the values (numbers, strings, booleans; JSON columns hold their JSON text; timestamps are RFC 3339 strings).
 *
 * @param updatesUsers for an {@code identifies} row: whether the row also updates the {@code users} table (it has
 *     a user id and the users table is not skipped)
 */
public record WarehouseRow(
        String table, Map<String, ColumnType> columns, Map<String, JsonNode> values, boolean updatesUsers) {}
