package dev.eventpipe.processor.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.json.Json;
import org.junit.jupiter.api.Test;

class IntegrationsRuleTest {
    private static boolean allows(String event, String displayName) {
        return IntegrationsRule.allows(Json.mapper().readTree(event), displayName);
    }

    @Test
    void noIntegrationsObjectMeansAllDestinations() {
        assertThat(allows("{}", "Webhook")).isTrue();
    }

    @Test
    void anExplicitNullIntegrationsMeansNoDestinationAsInRudderStack() {
        assertThat(allows("{\"integrations\":null}", "Webhook")).isFalse();
    }

    @Test
    void allDefaultsToTrueAndANamedFalseExcludes() {
        assertThat(allows("{\"integrations\":{\"Amplitude\":false}}", "Webhook"))
                .isTrue();
        assertThat(allows("{\"integrations\":{\"Amplitude\":false}}", "Amplitude"))
                .isFalse();
    }

    @Test
    void allFalseExcludesAllButNamedTrueOrOptionObjects() {
        String event = "{\"integrations\":{\"All\":false,\"Webhook\":true,\"Amplitude\":{\"key\":1},\"GA4\":\"yes\"}}";
        assertThat(allows(event, "Webhook")).isTrue();
        assertThat(allows(event, "Amplitude")).isTrue();
        assertThat(allows(event, "GA4")).isFalse();
        assertThat(allows(event, "Braze")).isFalse();
    }

    @Test
    void keysAreDisplayNamesAndCaseSensitive() {
        assertThat(allows("{\"integrations\":{\"webhook\":false}}", "Webhook")).isTrue();
    }

    @Test
    void aMalformedIntegrationsObjectLetsNothingThrough() {
        assertThat(allows("{\"integrations\":\"all\"}", "Webhook")).isFalse();
        assertThat(allows("{\"integrations\":{\"All\":\"true\"}}", "Webhook")).isFalse();
    }
}
