package dev.eventpipe.processor.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.DestinationDefinition;
import dev.eventpipe.model.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsentRuleTest {
    @SuppressWarnings("unchecked")
    private static Destination destination(String configJson) {
        Map<String, Object> config = Json.mapper().readValue(configJson, Map.class);
        return new Destination(
                "d",
                "d",
                true,
                "ws",
                true,
                "",
                config,
                new DestinationDefinition("dd", "WEBHOOK", "Webhook", null),
                List.of());
    }

    private static boolean allows(String consentManagement, String destinationConfig) {
        String event = "{\"context\":{\"consentManagement\":" + consentManagement + "}}";
        return ConsentRule.allows(Json.mapper().readTree(event), destination(destinationConfig));
    }

    static final String ONE_TRUST = "{\"oneTrustCookieCategories\":[{\"oneTrustCookieCategory\":\"C0002\"},"
            + "{\"oneTrustCookieCategory\":\"C0004\"}]}";
    static final String KETCH = "{\"ketchConsentPurposes\":[{\"purpose\":\"analytics\"},{\"purpose\":\"ads\"}]}";
    static final String GENERIC = """
            {"consentManagement":[
              {"provider":"oneTrust","consents":[{"consent":"C0002"},{"consent":"C0003"}]},
              {"provider":"custom","resolutionStrategy":"and","consents":[{"consent":"a"},{"consent":"b"}]}]}""";

    @Test
    void nothingIsFilteredWithoutDeniedConsents() {
        assertThat(allows("{\"deniedConsentIds\":[]}", ONE_TRUST)).isTrue();
        assertThat(allows("{\"deniedConsentIds\":[\"\"]}", ONE_TRUST)).isTrue();
        assertThat(allows("{}", ONE_TRUST)).isTrue();
    }

    @Test
    void legacyOneTrustFiltersWhenAnyConfiguredCategoryIsDenied() {
        assertThat(allows("{\"deniedConsentIds\":[\"C0004\"]}", ONE_TRUST)).isFalse();
        assertThat(allows("{\"deniedConsentIds\":[\"C0003\"]}", ONE_TRUST)).isTrue();
        assertThat(allows("{\"provider\":\"oneTrust\",\"deniedConsentIds\":[\"C0002\"]}", ONE_TRUST))
                .isFalse();
        assertThat(allows("{\"provider\":\"ketch\",\"deniedConsentIds\":[\"C0002\"]}", ONE_TRUST))
                .isTrue();
    }

    @Test
    void legacyKetchFiltersOnlyWhenEveryPurposeIsDenied() {
        assertThat(allows("{\"deniedConsentIds\":[\"analytics\"]}", KETCH)).isTrue();
        assertThat(allows("{\"deniedConsentIds\":[\"analytics\",\"ads\"]}", KETCH))
                .isFalse();
    }

    @Test
    void genericConsentUsesTheEventsStrategyForNamedProviders() {
        assertThat(allows(
                        "{\"provider\":\"oneTrust\",\"resolutionStrategy\":\"or\",\"deniedConsentIds\":[\"C0002\"]}",
                        GENERIC))
                .isTrue();
        assertThat(allows(
                        "{\"provider\":\"oneTrust\",\"resolutionStrategy\":\"or\",\"deniedConsentIds\":[\"C0002\",\"C0003\"]}",
                        GENERIC))
                .isFalse();
        assertThat(allows(
                        "{\"provider\":\"oneTrust\",\"resolutionStrategy\":\"and\",\"deniedConsentIds\":[\"C0002\"]}",
                        GENERIC))
                .isFalse();
    }

    @Test
    void genericConsentUsesTheDestinationsStrategyForTheCustomProvider() {
        assertThat(allows(
                        "{\"provider\":\"custom\",\"resolutionStrategy\":\"or\",\"deniedConsentIds\":[\"a\"]}",
                        GENERIC))
                .isFalse();
        assertThat(allows("{\"provider\":\"custom\",\"deniedConsentIds\":[\"z\"]}", GENERIC))
                .isTrue();
    }

    @Test
    void aDestinationWithoutConsentConfigAlwaysPasses() {
        assertThat(allows("{\"deniedConsentIds\":[\"C0002\"]}", "{}")).isTrue();
    }
}
