package dev.eventpipe.router.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.model.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The destination id read by streaming is the one the parameters' tree gives, whatever the parameters hold. */
class RtJobTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"source_id\":\"src\",\"destination_id\":\"dst-1\",\"gateway_job_id\":7}",
                "{\"destination_id\":\"\"}",
                "{}",
                "{\"destination_id\":null}",
                "{\"destination_id\":42}",
                "{\"destination_id\":12345678901234567890123}",
                "{\"destination_id\":1.5e3}",
                "{\"destination_id\":true}",
                "{\"destination_id\":{\"nested\":\"x\"}}",
                "{\"destination_id\":[\"a\"]}",
                "{\"destination_id\":\"first\",\"destination_id\":\"second\"}",
                "{\"a\":{\"destination_id\":\"inner\"},\"b\":[{\"destination_id\":\"x\"}],\"destination_id\":\"outer\"}",
                "{\"a\":{\"destination_id\":\"inner only\"}}",
                "{\"destination_id\":\"d\\u00e9st \\ud83d\\ude00 \\\"q\\\" \\u0000\"}",
                "{\"destination_id\":\"\\ud800 lone\"}",
                "[\"destination_id\"]",
                "\"destination_id\"",
                "7"
            })
    void theStreamAgreesWithTheTree(String parameters) {
        assertThat(RtJob.destinationId(parameters))
                .isEqualTo(Json.mapper()
                        .readTree(parameters)
                        .path("destination_id")
                        .asString(""));
    }

    /**
     * A destination's read gives its jobs the id it asked for, the text PostgreSQL's {@code ->>} makes of the value
     * (jsonb writes an integer's digits and a boolean as {@code true}/{@code false}): for these the id read from the
     * parameters is the same.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dst-1", "42", "-7", "12345678901234567890123", "true", "false", ""})
    void theIdADestinationsReadAsksForIsTheOneTheParametersGiveForStringsIntegersAndBooleans(String sqlText) {
        String literal = sqlText.matches("-?\\d+|true|false") ? sqlText : "\"" + sqlText + "\"";
        assertThat(RtJob.destinationId("{\"destination_id\": " + literal + ", \"source_id\": \"s\"}"))
                .isEqualTo(sqlText);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"destination_id\":", "{\"destination_id\":\"x\"", "not json"})
    void brokenParametersFailAsTheTreeDoes(String parameters) {
        assertThatThrownBy(() -> Json.mapper().readTree(parameters)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> RtJob.destinationId(parameters)).isInstanceOf(RuntimeException.class);
    }
}
