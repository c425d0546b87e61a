package dev.eventpipe.model.config;

import dev.eventpipe.model.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of {@code GET /sourceConfig}, what RudderStack's JavaScript SDK v3 and its Android and iOS SDKs read at
 * start (rudder-sdk-js configManager {@code isValidSourceConfig}/{@code processConfig}): {@code source.{id, name,
 * workspaceId, writeKey, enabled, config, destinations}} and {@code consentManagementMetadata}. Served by the
 * gateway and by the config backend from the same code, so both answer byte for byte alike.
 *
 * <p>Only device-mode destinations are listed (the browser loads their vendor scripts itself): a destination whose
 * {@code config.connectionMode} is {@code device} or {@code hybrid}, or whose {@code useNativeSDK} is true. Every
 * other destination is delivered by the router and never reaches a browser. A listed destination's config loses
 * every path its definition names in {@code secretKeys}. The SDK counts a destination without
 * {@code connectionMode} as device-mode, so cloud destinations must be left out, not just marked.
 */
public final class SdkSourceConfig {
    // RudderStack's hosted control plane answers these (rudder-sdk-js fixtures); the SDK reads them only when a
    // consent manager is configured, to choose how several consent categories combine.
    private static final List<Map<String, String>> CONSENT_PROVIDERS = List.of(
            Map.of("provider", "oneTrust", "resolutionStrategy", "and"),
            Map.of("provider", "ketch", "resolutionStrategy", "or"),
            Map.of("provider", "iubenda", "resolutionStrategy", "or"));

    private SdkSourceConfig() {}

    public static ObjectNode of(Source source) {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode s = root.putObject("source");
        s.put("id", source.id());
        s.put("name", source.name());
        s.put("workspaceId", source.workspaceId());
        s.put("writeKey", source.writeKey());
        s.put("enabled", source.enabled());
        s.set("config", Json.mapper().valueToTree(source.config()));
        ArrayNode destinations = s.putArray("destinations");
        for (Destination d : source.destinations()) {
            if (d.enabled() && deviceMode(d)) destinations.add(destination(d));
        }
        root.putObject("consentManagementMetadata")
                .set("providers", Json.mapper().valueToTree(CONSENT_PROVIDERS));
        return root;
    }

    static boolean deviceMode(Destination d) {
        Object mode = d.config().get("connectionMode");
        if (mode instanceof String m && (m.equalsIgnoreCase("device") || m.equalsIgnoreCase("hybrid"))) return true;
        Object nativeSdk = d.config().get("useNativeSDK");
        return Boolean.TRUE.equals(nativeSdk)
                || (nativeSdk instanceof Map<?, ?> byPlatform && Boolean.TRUE.equals(byPlatform.get("web")));
    }

    private static ObjectNode destination(Destination d) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("id", d.id());
        out.put("name", d.name());
        out.put("enabled", true);
        out.set("config", Json.mapper().valueToTree(withoutSecrets(d.config(), secretKeys(d))));
        out.put("destinationDefinitionId", d.destinationDefinition().id());
        ObjectNode definition = out.putObject("destinationDefinition");
        definition.put("name", d.destinationDefinition().name());
        definition.put("displayName", d.destinationDefinition().displayName());
        out.put("shouldApplyDeviceModeTransformation", !d.transformations().isEmpty());
        out.put("propagateEventsUntransformedOnError", false);
        return out;
    }

    private static List<String> secretKeys(Destination d) {
        Object keys = d.destinationDefinition().config().other().get("secretKeys");
        List<String> out = new ArrayList<>();
        if (keys instanceof List<?> list) {
            for (Object k : list) if (k instanceof String s) out.add(s);
        }
        return out;
    }

    /** A deep copy of {@code config} without the dotted {@code paths}; a list on the way applies to each item. */
    static Map<String, Object> withoutSecrets(Map<String, Object> config, List<String> paths) {
        Map<String, Object> copy = deepCopy(config);
        for (String path : paths) remove(copy, path.split("\\."), 0);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> config) {
        return Json.mapper().convertValue(config, LinkedHashMap.class);
    }

    private static void remove(Object node, String[] path, int at) {
        switch (node) {
            case Map<?, ?> map -> {
                if (at == path.length - 1) {
                    map.remove(path[at]);
                } else {
                    Object next = map.get(path[at]);
                    if (next != null) remove(next, path, at + 1);
                }
            }
            case List<?> list -> {
                for (Object item : list) remove(item, path, at);
            }
            default -> {}
        }
    }
}
