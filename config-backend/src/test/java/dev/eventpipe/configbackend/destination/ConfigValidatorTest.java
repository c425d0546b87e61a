package dev.eventpipe.configbackend.destination;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.catalogue.DestinationDefinition;
import dev.eventpipe.configbackend.web.FieldProblem;
import dev.eventpipe.model.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigValidatorTest {
    static final DestinationDefinition HOOK = new DestinationDefinition(
            "d", "HOOK", "Hook", """
            {"type":"object","required":["url"],"properties":{"url":{"type":"string","secret":true},
             "headers":{"type":"array","items":{"type":"object","required":["to"],
               "properties":{"to":{"type":"string","secret":true}}}}}}
            """, null, "[\"extra.key\"]", "processor", null, "builtin", Instant.EPOCH);

    @Test
    void problemsNameTheFieldIncludingMissingOnesInsideArrays() {
        List<FieldProblem> problems =
                new ConfigValidator().problems(HOOK, Json.mapper().readTree("{\"headers\":[{\"from\":\"a\"}]}"));
        assertThat(problems)
                .extracting(FieldProblem::field)
                .containsExactlyInAnyOrder("config.url", "config.headers[0].to");
    }

    @Test
    void aValidConfigHasNoProblems() {
        assertThat(new ConfigValidator().problems(HOOK, Json.mapper().readTree("{\"url\":\"http://x\"}")))
                .isEmpty();
    }

    @Test
    void secretPathsComeFromSecretKeysAndFromFieldsMarkedSecretInTheSchema() {
        assertThat(HOOK.secretPaths()).containsExactlyInAnyOrder("extra.key", "url", "headers.to");
    }
}
