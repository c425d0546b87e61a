package dev.eventpipe.warehouse.schema;

import java.util.Locale;
import java.util.Optional;

/**
 * The column types of the warehouse schema, with RudderStack's names (as written in staging files) and the
 * PostgreSQL type each becomes.
 */
public enum ColumnType {
    INT("int", "bigint"),
    FLOAT("float", "numeric"),
    STRING("string", "text"),
    DATETIME("datetime", "timestamptz"),
    BOOLEAN("boolean", "boolean"),
    JSON("json", "jsonb");

    private final String rudderName;
    private final String postgresType;

    ColumnType(String rudderName, String postgresType) {
        this.rudderName = rudderName;
        this.postgresType = postgresType;
    }

    public String rudderName() {
        return rudderName;
    }

    public String postgresType() {
        return postgresType;
    }

    public static ColumnType fromRudderName(String name) {
        for (ColumnType t : values()) if (t.rudderName.equals(name)) return t;
        throw new IllegalArgumentException("unknown column type " + name);
    }

    /**
     * The type of an existing warehouse column ({@code information_schema.columns.data_type}); empty for types this
     * schema never creates (a column a user altered to, say, {@code date}), whose values are sent as text for
     * PostgreSQL to cast.
     */
    public static Optional<ColumnType> fromPostgres(String dataType) {
        return Optional.ofNullable(
                switch (dataType.toLowerCase(Locale.ROOT)) {
                    case "bigint", "integer", "smallint" -> INT;
                    case "numeric", "double precision", "real" -> FLOAT;
                    case "text", "character varying", "character", "varchar", "char" -> STRING;
                    case "timestamp with time zone", "timestamp without time zone", "timestamptz", "timestamp" ->
                        DATETIME;
                    case "boolean" -> BOOLEAN;
                    case "jsonb", "json" -> JSON;
                    default -> null;
                });
    }
}
