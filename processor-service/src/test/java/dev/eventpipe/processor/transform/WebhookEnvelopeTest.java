package dev.eventpipe.processor.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.DestinationDefinition;
import dev.eventpipe.processor.pipeline.EventJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The processor's WEBHOOK envelope against the transformer's own fixtures for {@code destinations/webhook}: where
 * it answers, it answers what the transformer answers; where the transformer fails the event, it leaves the
 * decision to the transformer.
 */
class WebhookEnvelopeTest {
    private static final Path FIXTURES =
            Path.of("../transformer-service/src/test/resources/fixtures/destinations/webhook");

    static Stream<Path> fixtures() throws IOException {
        return Files.list(FIXTURES).filter(p -> p.toString().endsWith(".json")).sorted();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void answersWhatTheTransformerAnswersOrLeavesItToTheTransformer(Path fixture) throws IOException {
        JsonNode f = EventJson.MAPPER.readTree(Files.readString(fixture));
        JsonNode request = f.path("request");
        JsonNode expected = f.path("response").get(0);
        var envelope = envelope(request.path("message").deepCopy(), destination(request.path("destination")));
        if (expected.path("statusCode").asInt() == 200) {
            assertThat(envelope).as(fixture.toString()).contains((ObjectNode) expected.path("output"));
        } else {
            assertThat(envelope).as(fixture.toString()).isEmpty();
        }
    }

    @Test
    void theSharedEventIsNeverChangedWhenContextIpIsAdded() {
        ObjectNode event = json("{\"type\":\"track\",\"anonymousId\":\"a\",\"request_ip\":\"203.0.113.9\"}");
        String before = event.toString();

        ObjectNode envelope = envelope(event, destination(Map.of("webhookUrl", " https://x.example/h ")))
                .orElseThrow();

        assertThat(event.toString()).isEqualTo(before);
        assertThat(envelope.path("body").path("JSON").path("context").path("ip").asString())
                .isEqualTo("203.0.113.9");
        assertThat(envelope.path("endpoint").asString()).isEqualTo("https://x.example/h");
        assertThat(envelope.path("method").asString()).isEqualTo("POST");
    }

    @Test
    void casesWhoseTextJavaScriptMightWriteDifferentlyGoToTheTransformer() {
        ObjectNode event = json("{\"type\":\"track\",\"anonymousId\":\"a\"}");
        assertThat(envelope(event, destination(Map.of("webhookUrl", "https://x", "webhookMethod", "GET"))))
                .isEmpty();
        assertThat(envelope(
                        event,
                        destination(
                                Map.of("webhookUrl", "https://x", "headers", List.of(Map.of("from", "k", "to", 1.5))))))
                .isEmpty();
        assertThat(envelope(
                        json("{\"type\":\"track\",\"anonymousId\":7}"), destination(Map.of("webhookUrl", "https://x"))))
                .isEmpty();
        assertThat(envelope(json("{\"type\":\"custom\"}"), destination(Map.of("webhookUrl", "https://x"))))
                .isEmpty();
    }

    /**
     * Issue 16: what WebhookEnvelopeAgainstTransformerIT found the transformer answers differently (or fails) goes
     * to the transformer: numbers JavaScript and ExactNumbers do not give back as they came, events deeper than the
     * limit, a lone surrogate in a key, a {@code __proto__} header, a header integer beyond 2^53.
     */
    @Test
    void eventsAndConfigsTheTransformerWouldAnswerDifferentlyGoToIt() {
        Destination plain = destination(Map.of("webhookUrl", "https://x"));
        for (String properties : List.of(
                "{\"v\":1e400}",
                "{\"v\":-1e400}",
                "{\"v\":-1e-400}",
                "{\"a\":2.50,\"b\":2.5}",
                "{\"a\":2.50,\"b\":[2.500]}",
                "{\"a\":0.0,\"b\":0}",
                "{\"a\":123456789012345678901234567890,\"b\":123456789012345678901234567891}",
                "{\"k\\ud800\":1}",
                "{\"a\":" + "[".repeat(WebhookEnvelope.MAX_DEPTH) + "]".repeat(WebhookEnvelope.MAX_DEPTH) + "}"))
            assertThat(envelope(json("{\"type\":\"track\",\"properties\":" + properties + "}"), plain))
                    .as(properties)
                    .isEmpty();
        ObjectNode event = json("{\"type\":\"track\"}");
        assertThat(envelope(
                        event,
                        destination(Map.of(
                                "webhookUrl",
                                "https://x",
                                "headers",
                                List.of(Map.of("from", "__proto__", "to", "v"))))))
                .isEmpty();
        assertThat(envelope(
                        event,
                        destination(Map.of(
                                "webhookUrl",
                                "https://x",
                                "headers",
                                List.of(Map.of("from", "X-Big", "to", (1L << 53) + 1))))))
                .isEmpty();
    }

    @Test
    void numbersTheTransformerGivesBackAsTheyCameStayInProcess() {
        Destination plain = destination(Map.of("webhookUrl", "https://x"));
        for (String properties : List.of(
                "{\"v\":2.50,\"w\":[2.50]}",
                "{\"v\":123456789012345678901234567890}",
                "{\"v\":1e-400}",
                "{\"v\":0.0}",
                "{\"v\":9007199254740993,\"w\":1}",
                "{\"v\":1e22,\"w\":-0,\"x\":\"\\ud800\"}")) {
            ObjectNode event = json("{\"type\":\"track\",\"properties\":" + properties + "}");
            assertThat(envelope(event, plain)
                            .orElseThrow()
                            .path("body")
                            .path("JSON")
                            .path("properties"))
                    .as(properties)
                    .isEqualTo(event.path("properties"));
        }
    }

    @Test
    void configuredHeadersFollowTheContentTypeAsStrings() {
        ObjectNode envelope = envelope(
                        json("{\"type\":\"identify\"}"),
                        destination(Map.of(
                                "webhookUrl",
                                "https://x",
                                "webhookMethod",
                                "patch",
                                "headers",
                                List.of(
                                        Map.of("from", " X-Key ", "to", "k1"),
                                        Map.of("from", "X-N", "to", 3),
                                        Map.of("to", "no name")))))
                .orElseThrow();

        assertThat(envelope.path("headers").toString())
                .isEqualTo("{\"content-type\":\"application/json\",\"X-Key\":\"k1\",\"X-N\":\"3\"}");
        assertThat(envelope.path("method").asString()).isEqualTo("PATCH");
        assertThat(envelope.path("userId").asString()).isEmpty();
    }

    /** The envelope's text, read back as a tree. */
    private static java.util.Optional<ObjectNode> envelope(JsonNode message, Destination destination) {
        return WebhookEnvelope.of(message, destination).map(WebhookEnvelopeTest::json);
    }

    private static ObjectNode json(String text) {
        return (ObjectNode) EventJson.MAPPER.readTree(text);
    }

    @SuppressWarnings("unchecked")
    private static Destination destination(JsonNode rudderShape) {
        return destination(EventJson.MAPPER.convertValue(rudderShape.path("Config"), Map.class));
    }

    private static Destination destination(Map<String, Object> config) {
        return new Destination(
                "d-1",
                "hook",
                true,
                "ws-1",
                true,
                "",
                config,
                new DestinationDefinition("dd", "WEBHOOK", "Webhook", null),
                List.of());
    }
}
