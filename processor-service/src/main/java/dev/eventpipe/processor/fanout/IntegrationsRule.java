package dev.eventpipe.processor.fanout;

import tools.jackson.databind.JsonNode;

/**
 * The event's {@code integrations} object, as rudder-server's FilterClientIntegrations reads it: keys are
 * destination-definition display names; {@code All} (default true) applies to destinations not named; a named
 * destination with {@code false} is excluded, with {@code true} or an object (options) included. An
 * {@code integrations} that is not an object, or an {@code All} that is not a boolean, lets nothing through. A
 * missing {@code integrations} means "all"; an explicit {@code "integrations": null} lets nothing through, as in
 * rudder-server (its value is found, is not a map, so no destination is chosen; review P1-6, issue 12 item 8).
 */
final class IntegrationsRule {
    private IntegrationsRule() {}

    static boolean allows(JsonNode event, String displayName) {
        JsonNode integrations = event.get("integrations");
        if (integrations == null) return true;
        if (!integrations.isObject()) return false;
        JsonNode all = integrations.get("All");
        if (all != null && !all.isBoolean()) return false;
        JsonNode named = integrations.get(displayName);
        if (named != null && named.isBoolean()) return named.booleanValue();
        if (named != null && named.isObject()) return true;
        return all == null || all.booleanValue();
    }
}
