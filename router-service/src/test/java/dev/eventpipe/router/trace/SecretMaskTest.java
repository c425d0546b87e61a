package dev.eventpipe.router.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskTest {
    @Test
    void secretValuesAreFoundThroughNestedKeysAndArrays() {
        Map<String, Object> config = Map.of(
                "apiKey",
                "key-123456",
                "headers",
                List.of(Map.of("from", "X-Token", "to", "tok-abcdef"), Map.of("from", "X-Other")));
        assertThat(SecretMask.secretValues(config, List.of("apiKey", "headers.to", "missing.path")))
                .containsExactly("key-123456", "tok-abcdef");
    }

    @Test
    void aSecretIsMaskedWhereverItAppearsAndCredentialHeadersWhole() {
        SecretMask mask = new SecretMask(List.of("key-123456", "ab"));
        assertThat(mask.url("https://user:pw@api.example.com/v1?api_key=key-123456&x=ab"))
                .isEqualTo("https://********@api.example.com/v1?api_key=********&x=ab");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Basic Zm9vOmJhcg==");
        headers.put("X-Api-Key", "anything");
        headers.put("X-Custom", "Bearer key-123456");
        headers.put("Content-Type", "application/json");
        assertThat(mask.headers(headers))
                .containsExactly(
                        Map.entry("Authorization", "********"),
                        Map.entry("X-Api-Key", "********"),
                        Map.entry("X-Custom", "Bearer ********"),
                        Map.entry("Content-Type", "application/json"));
        assertThat(mask.text("{\"api_key\":\"key-123456\",\"event\":\"ab\"}"))
                .isEqualTo("{\"api_key\":\"********\",\"event\":\"ab\"}");
    }
}
