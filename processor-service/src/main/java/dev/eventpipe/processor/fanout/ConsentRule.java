package dev.eventpipe.processor.fanout;

import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Consent filtering as rudder-server's processor/consent.go does it. Nothing is filtered unless the event carries
 * {@code context.consentManagement.deniedConsentIds}. Then, for the event's {@code provider}:
 * <ul>
 *   <li>generic: destination config {@code consentManagement: [{provider, resolutionStrategy, consents:
 *       [{consent}]}]} for that provider; strategy {@code or} (the event's, or the destination's for provider
 *       {@code custom}) passes when at least one configured consent is not denied, otherwise ({@code and}) when
 *       none is denied;
 *   <li>legacy OneTrust (provider empty or {@code oneTrust}): {@code oneTrustCookieCategories:
 *       [{oneTrustCookieCategory}]} passes when none is denied;
 *   <li>legacy Ketch (provider empty or {@code ketch}): {@code ketchConsentPurposes: [{purpose}]} passes when at
 *       least one is not denied.
 * </ul>
 * A destination with no matching consent config always passes.
 */
final class ConsentRule {
    private ConsentRule() {}

    static boolean allows(JsonNode event, Destination destination) {
        JsonNode cm = event.path("context").path("consentManagement");
        if (!cm.isObject()) return true;
        List<String> denied = strings(cm.path("deniedConsentIds"), null);
        if (denied.isEmpty()) return true;
        String provider = cm.path("provider").asString("");
        JsonNode config = Json.mapper().valueToTree(destination.config());

        for (JsonNode entry : config.path("consentManagement")) {
            if (provider.isEmpty() || !provider.equals(entry.path("provider").asString(""))) continue;
            List<String> consents = strings(entry.path("consents"), "consent");
            if (consents.isEmpty()) continue;
            String strategy = provider.equals("custom")
                    ? entry.path("resolutionStrategy").asString("")
                    : cm.path("resolutionStrategy").asString("");
            return strategy.equals("or") ? !denied.containsAll(consents) : Collections.disjoint(consents, denied);
        }
        if (provider.isEmpty() || provider.equals("oneTrust")) {
            List<String> categories = strings(config.path("oneTrustCookieCategories"), "oneTrustCookieCategory");
            if (!categories.isEmpty()) return Collections.disjoint(categories, denied);
        }
        if (provider.isEmpty() || provider.equals("ketch")) {
            List<String> purposes = strings(config.path("ketchConsentPurposes"), "purpose");
            if (!purposes.isEmpty()) return !denied.containsAll(purposes);
        }
        return true;
    }

    /** Non-empty strings of an array, read directly or from {@code field} of each object element. */
    private static List<String> strings(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : array) {
            JsonNode value = field == null ? item : item.path(field);
            if (value.isString() && !value.stringValue().isEmpty()) out.add(value.stringValue());
        }
        return out;
    }
}
