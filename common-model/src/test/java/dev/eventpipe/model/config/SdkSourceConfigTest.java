package dev.eventpipe.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SdkSourceConfigTest {
    private static final String SOURCE = """
            {"id":"src-1","name":"Website","writeKey":"wk-1","enabled":%s,"workspaceId":"ws-1",
             "config":{"note":"kept"},"sourceDefinition":{"name":"Javascript"},"destinations":[
              {"id":"cloud-hook","name":"Hook","enabled":true,"config":{"webhookUrl":"https://example.test/h",
               "headers":[{"from":"Authorization","to":"Bearer cloud-secret"}]},
               "destinationDefinition":{"id":"def-w","name":"WEBHOOK","displayName":"Webhook",
                "config":{"secretKeys":["headers.to"]}}},
              {"id":"ga4","name":"GA4","enabled":true,"config":{"connectionMode":"device","measurementId":"G-1",
               "apiSecret":"device-secret","nested":{"token":"t","keep":1},"list":[{"k":"s1","v":1},{"k":"s2","v":2}]},
               "destinationDefinition":{"id":"def-ga4","name":"GA4","displayName":"Google Analytics 4 (GA4)",
                "config":{"secretKeys":["apiSecret","nested.token","list.k"]}},
               "transformations":[{"id":"t1","versionId":"v1"}]},
              {"id":"off","name":"Off","enabled":false,"config":{"connectionMode":"device"},
               "destinationDefinition":{"name":"AM"}},
              {"id":"legacy","name":"Legacy","enabled":true,"config":{"useNativeSDK":{"web":true}},
               "destinationDefinition":{"name":"HS","displayName":"HubSpot"}}]}""";

    private static JsonNode body(boolean enabled) {
        return SdkSourceConfig.of(Json.read(SOURCE.formatted(enabled), Source.class));
    }

    @Test
    void theSourceCarriesWhatTheSdksReadAndOnlyDeviceModeDestinations() {
        JsonNode body = body(true);

        assertThat(body.at("/source/id").asString()).isEqualTo("src-1");
        assertThat(body.at("/source/workspaceId").asString()).isEqualTo("ws-1");
        assertThat(body.at("/source/writeKey").asString()).isEqualTo("wk-1");
        assertThat(body.at("/source/enabled").asBoolean()).isTrue();
        assertThat(body.at("/source/config/note").asString()).isEqualTo("kept");
        assertThat(body.at("/source/destinations").findValuesAsString("id")).containsExactly("ga4", "legacy");
        assertThat(body.at("/source/destinations/0/destinationDefinition/displayName")
                        .asString())
                .isEqualTo("Google Analytics 4 (GA4)");
        assertThat(body.at("/source/destinations/0/shouldApplyDeviceModeTransformation")
                        .asBoolean())
                .isTrue();
        assertThat(body.at("/consentManagementMetadata/providers").isArray()).isTrue();
    }

    @Test
    void noSecretOfAnyDestinationReachesTheBrowser() {
        String text = body(true).toString();

        assertThat(text).doesNotContain("cloud-secret", "device-secret", "example.test", "\"token\"", "\"s1\"");
        assertThat(body(true).at("/source/destinations/0/config/measurementId").asString())
                .isEqualTo("G-1");
        assertThat(body(true).at("/source/destinations/0/config/nested/keep").asInt())
                .isEqualTo(1);
        assertThat(body(true).at("/source/destinations/0/config/list/1/v").asInt())
                .isEqualTo(2);
    }

    @Test
    void aDisabledSourceAnswersEnabledFalse() {
        assertThat(body(false).at("/source/enabled").asBoolean()).isFalse();
    }
}
