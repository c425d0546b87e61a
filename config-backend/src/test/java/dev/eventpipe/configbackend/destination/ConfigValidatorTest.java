package dev.eventpipe.configbackend.destination;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.catalogue.DestinationDefinition;
import dev.eventpipe.configbackend.web.FieldProblem;
import dev.eventpipe.model.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

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

    /** The webhook schema the transformer ships: batching needs a method with a body (its if/then rule). */
    @Test
    void theShippedWebhookSchemaRefusesBatchingWithGet() throws IOException {
        JsonNode shipped = Json.mapper()
                .readTree(Files.readString(
                        Path.of("../transformer-service/src/main/resources/destinations/webhook/definition.json")));
        DestinationDefinition webhook = new DestinationDefinition(
                "d",
                "WEBHOOK",
                "Webhook",
                Json.writeString(shipped.path("configSchema")),
                null,
                "[]",
                "processor",
                "true",
                "transformer",
                Instant.EPOCH);
        ConfigValidator validator = new ConfigValidator();
        String url = "\"webhookUrl\":\"https://example.com/hook\"";

        assertThat(validator.problems(
                        webhook,
                        Json.mapper().readTree("{" + url + ",\"webhookMethod\":\"GET\",\"enableBatching\":true}")))
                .extracting(FieldProblem::field)
                .containsExactly("config.webhookMethod");
        assertThat(validator.problems(
                        webhook,
                        Json.mapper().readTree("{" + url + ",\"webhookMethod\":\"GET\",\"enableBatching\":false}")))
                .isEmpty();
        assertThat(validator.problems(
                        webhook, Json.mapper().readTree("{" + url + ",\"enableBatching\":true,\"maxBatchSize\":500}")))
                .isEmpty();
        assertThat(validator.problems(
                        webhook, Json.mapper().readTree("{" + url + ",\"enableBatching\":true,\"maxBatchSize\":5000}")))
                .extracting(FieldProblem::field)
                .containsExactly("config.maxBatchSize");
    }

    @Test
    void secretPathsComeFromSecretKeysAndFromFieldsMarkedSecretInTheSchema() {
        assertThat(HOOK.secretPaths()).containsExactlyInAnyOrder("extra.key", "url", "headers.to");
    }

    @Test
    void anObviouslyInternalUrlIsRefusedWithTheSettingThatAllowsIt() {
        for (String url : List.of(
                "http://127.0.0.1:8086/api/v1/events/recent",
                "http://169.254.169.254/latest/meta-data/",
                "http://localhost:9090/",
                "http://[::1]/",
                "http://processor:8086/"))
            assertThat(new ConfigValidator(dev.eventpipe.model.egress.EgressPolicy.of("", false, List.of("processor")))
                            .problems(HOOK, Json.mapper().readTree("{\"url\":\"" + url + "\"}")))
                    .as(url)
                    .singleElement()
                    .satisfies(p -> {
                        assertThat(p.field()).isEqualTo("config.url");
                        assertThat(p.message()).contains("EGRESS_ALLOW");
                    });
        assertThat(new ConfigValidator(dev.eventpipe.model.egress.EgressPolicy.of("127.0.0.1/32", false, List.of()))
                        .problems(HOOK, Json.mapper().readTree("{\"url\":\"http://127.0.0.1:9/h\"}")))
                .isEmpty();
        assertThat(new ConfigValidator().problems(HOOK, Json.mapper().readTree("{\"url\":\"https://example.com/h\"}")))
                .isEmpty();
    }

    static final DestinationDefinition WAREHOUSE = new DestinationDefinition(
            "w", "POSTGRES", "PostgreSQL", """
            {"type":"object","required":["host"],"properties":{"host":{"type":"string"},
             "port":{"type":"string","pattern":"^[0-9]{1,5}$"},"database":{"type":"string"}}}
            """, null, "[]", "processor", null, "builtin", Instant.EPOCH);

    @Test
    void anObviouslyInternalWarehouseHostIsRefusedWithTheSettingThatAllowsIt() {
        ConfigValidator validator =
                new ConfigValidator(dev.eventpipe.model.egress.EgressPolicy.of("", false, List.of("postgres")));
        for (String config : List.of(
                "{\"host\":\"127.0.0.1\",\"port\":\"5432\"}",
                "{\"host\":\"169.254.169.254\"}",
                "{\"host\":\"localhost\",\"port\":\"6543\"}",
                "{\"host\":\"::1\"}",
                "{\"host\":\"postgres\",\"port\":\"5432\"}"))
            assertThat(validator.problems(WAREHOUSE, Json.mapper().readTree(config)))
                    .as(config)
                    .singleElement()
                    .satisfies(p -> {
                        assertThat(p.field()).isEqualTo("config.host");
                        assertThat(p.message()).contains("EGRESS_ALLOW");
                    });
        assertThat(validator.problems(WAREHOUSE, Json.mapper().readTree("{\"host\":\"db.example.com\"}")))
                .isEmpty();
        // what the e2e test does: its warehouse is a schema of the suite's own database, listed in EGRESS_ALLOW
        assertThat(new ConfigValidator(dev.eventpipe.model.egress.EgressPolicy.of("127.0.0.1:5432", false, List.of()))
                        .problems(WAREHOUSE, Json.mapper().readTree("{\"host\":\"127.0.0.1\",\"port\":\"5432\"}")))
                .isEmpty();
    }
}
