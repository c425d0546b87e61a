package dev.eventpipe.warehouse.schema;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The destination settings and per-event {@code integrations} options that change the mapping, as RudderStack's
 * POSTGRES destination reads them: {@code skipTracksTable}, {@code skipUsersTable}, {@code underscoreDivideNumbers},
 * {@code allowUsersContextTraits}, {@code storeFullEvent} and {@code jsonPaths} (comma-separated in the
 * destination config; a list in {@code integrations.POSTGRES.options} or {@code integrations.DATA_WAREHOUSE.options}).
 *
 * @param jsonPaths path keys ({@code track_properties_address}, dots turned to {@code _}) to their depth, for paths
 *     that name the event type; {@code legacyJsonPaths} the same for paths without one (track events only)
 */
public record MappingOptions(
        boolean skipTracksTable,
        boolean skipUsersTable,
        boolean underscoreDivideNumbers,
        boolean allowUsersContextTraits,
        boolean storeFullEvent,
        Map<String, Integer> jsonPaths,
        Map<String, Integer> legacyJsonPaths) {

    private static final List<String> TYPED_PREFIXES =
            List.of("track.", "identify.", "page.", "screen.", "alias.", "group.", "extract.");

    public static MappingOptions defaults() {
        return new MappingOptions(false, false, false, false, false, Map.of(), Map.of());
    }

    /** From a destination's config and, when it has them, the event's integration options. */
    public static MappingOptions of(Map<String, Object> destinationConfig, JsonNode event) {
        JsonNode own = event.path("integrations").path("POSTGRES").path("options");
        JsonNode warehouse = event.path("integrations").path("DATA_WAREHOUSE").path("options");
        Map<String, Integer> paths = new HashMap<>();
        Map<String, Integer> legacy = new HashMap<>();
        if (destinationConfig.get("jsonPaths") instanceof String configured)
            for (String p : configured.split(",")) addPath(p, paths, legacy);
        for (JsonNode list : List.of(warehouse.path("jsonPaths"), own.path("jsonPaths")))
            for (JsonNode p : list) if (p.isString()) addPath(p.asString(), paths, legacy);
        return new MappingOptions(
                flag(destinationConfig, "skipTracksTable")
                        || own.path("skipTracksTable").asBoolean(false),
                flag(destinationConfig, "skipUsersTable")
                        || own.path("skipUsersTable").asBoolean(false),
                flag(destinationConfig, "underscoreDivideNumbers"),
                flag(destinationConfig, "allowUsersContextTraits"),
                flag(destinationConfig, "storeFullEvent"),
                Map.copyOf(paths),
                Map.copyOf(legacy));
    }

    private static void addPath(String raw, Map<String, Integer> paths, Map<String, Integer> legacy) {
        String path = raw.strip();
        if (path.isEmpty()) return;
        String[] parts = path.split("\\.", -1);
        String key = String.join("_", parts);
        String lower = path.toLowerCase(Locale.ROOT);
        boolean typed = TYPED_PREFIXES.stream().anyMatch(lower::startsWith);
        (typed ? paths : legacy).put(key, parts.length - 1);
    }

    private static boolean flag(Map<String, Object> config, String key) {
        Object value = config.get(key);
        return value instanceof Boolean b ? b : value instanceof String s && Boolean.parseBoolean(s);
    }
}
