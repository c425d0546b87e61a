package dev.eventpipe.jobsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jazzer fuzz test of {@link JsonbText}: for any text, the result holds nothing jsonb refuses (no NUL escape, no
 * escaped or raw lone surrogate, no raw NUL), making it safe twice changes nothing, and valid JSON stays valid JSON
 * with the same structure. Seeds in {@code src/test/resources/dev/eventpipe/jobsdb/JsonbTextFuzzTestInputs}.
 */
class JsonbTextFuzzTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @FuzzTest(maxDuration = "30s")
    void anyTextBecomesTextJsonbAccepts(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        String safe = JsonbText.safe(text);

        assertThat(JsonbText.safe(safe)).isEqualTo(safe);
        assertThat(safe).doesNotContain("\u0000");
        for (int i = 0; i < safe.length(); i++) {
            char c = safe.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertThat(i + 1 < safe.length() && Character.isLowSurrogate(safe.charAt(i + 1)))
                        .isTrue();
                i++;
            } else assertThat(Character.isLowSurrogate(c)).isFalse();
        }
        JsonNode before = parse(text);
        if (before != null) {
            JsonNode after = parse(safe);
            assertThat(after).isNotNull();
            assertThat(after.getNodeType()).isEqualTo(before.getNodeType());
            assertThat(after.size()).isEqualTo(before.size());
        }
    }

    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }
}
