package dev.eventpipe.transformer.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.transformer.HttpTestBase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FeaturesIT extends HttpTestBase {

    @Test
    void featuresHaveRudderTransformersKeysAndListTheDestinations() {
        JsonNode features = json(get("/features"));
        assertThat(features.path("routerTransform").isObject()).isTrue();
        assertThat(features.path("regulations").isArray()).isTrue();
        assertThat(features.path("supportSourceTransformV1").asBoolean(true)).isFalse();
        assertThat(features.path("destinations")
                        .path("WEBHOOK")
                        .path("batching")
                        .isBoolean())
                .isTrue();
    }

    @Test
    void destinationDefinitionsListEveryDestinationWithTheAgreedFields() {
        JsonNode definitions = json(get("/destinationDefinitions"));
        List<String> names = new ArrayList<>();
        for (JsonNode definition : definitions) {
            names.add(definition.path("name").asString());
            List<String> fields = new ArrayList<>();
            definition.propertyNames().forEach(fields::add);
            assertThat(fields)
                    .containsExactly(
                            "name",
                            "displayName",
                            "configSchema",
                            "supportedMessageTypes",
                            "secretKeys",
                            "transformAt",
                            "batching");
            assertThat(definition.path("configSchema").path("$schema").asString())
                    .isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(definition.path("transformAt").asString()).isEqualTo("processor");
        }
        assertThat(names).contains("WEBHOOK", "AM", "MP", "GA4", "SLACK", "POSTGRES");
    }

    @Test
    void healthNamesTheGraalJsRuntime() {
        JsonNode health = json(get("/health"));
        assertThat(health.path("server").asString()).isEqualTo("UP");
        assertThat(health.path("runtime").asString()).isNotBlank();
        assertThat(json(get("/health/live")).path("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusMetricsAreExposed() {
        assertThat(get("/actuator/prometheus").body()).contains("jvm_memory_used_bytes");
    }
}
