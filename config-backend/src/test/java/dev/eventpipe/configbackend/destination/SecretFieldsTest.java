package dev.eventpipe.configbackend.destination;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SecretFieldsTest {

    @Test
    void dottedPathsEnterArraysElementByElementAndSkipEmptyOrMissingValues() {
        JsonNode config = Json.mapper().readTree("""
                        {"apiKey":"k","headers":[{"from":"a","to":"x"},{"from":"b","to":""},{"from":"c"}],
                         "nested":{"token":"t"}}
                        """);
        List<String> seen = new ArrayList<>();
        new SecretFields(List.of("apiKey", "headers.to", "nested.token", "absent.field"))
                .replace(config, (pointer, value) -> {
                    seen.add(pointer);
                    return "#" + value;
                });
        assertThat(seen).containsExactly("/apiKey", "/headers/0/to", "/nested/token");
        assertThat(config.at("/headers/0/to").asString()).isEqualTo("#x");
        assertThat(config.at("/headers/1/to").asString()).isEmpty();
        assertThat(config.at("/headers/0/from").asString()).isEqualTo("a");
    }
}
