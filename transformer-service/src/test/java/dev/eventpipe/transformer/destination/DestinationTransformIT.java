package dev.eventpipe.transformer.destination;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.transformer.HttpTestBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every fixture under {@code fixtures/destinations/<type>/} (written from the vendor's documented request format,
 * linked in the fixture's {@code docs}) is posted to {@code /v0/destinations/<type>} and the answer compared.
 */
class DestinationTransformIT extends HttpTestBase {

    static Stream<Path> fixtures() throws IOException {
        Path root = Path.of("src/test/resources/fixtures/destinations");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void eachDestinationTurnsTheFixtureEventIntoTheDocumentedRequest(Path fixture) {
        JsonNode spec = read(fixture);
        String type = fixture.getParent().getFileName().toString();
        HttpResponse<String> response =
                post("/v0/destinations/" + type, "[" + JSON.writeValueAsString(spec.get("request")) + "]");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("apiVersion")).hasValue("2");
        JsonNode answer = json(response);
        JsonNode expected = spec.get("response");
        assertThat(answer).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode want = expected.get(i);
            JsonNode got = answer.get(i);
            assertThat(got.path("statusCode").asInt())
                    .as("statusCode")
                    .isEqualTo(want.path("statusCode").asInt());
            assertThat(got.path("metadata").path("messageId").asString()).isEqualTo("msg-1");
            if (want.has("error")) {
                assertThat(got.path("error").asString())
                        .isEqualTo(want.path("error").asString());
                assertThat(got.path("statTags").path("destType").asString()).isEqualTo(type.toUpperCase());
            } else {
                assertThat(normalised(got.get("output"))).isEqualTo(normalised(want.get("output")));
            }
        }
    }

    @Test
    void severalEventsAreAnsweredInRequestOrder() {
        String body = "[" + String.join(",", List.of(webhookItem("a"), webhookItem("b"), webhookItem("c"))) + "]";
        JsonNode answer = json(post("/v0/destinations/webhook", body));
        assertThat(answer).hasSize(3);
        assertThat(answer.get(0).path("metadata").path("messageId").asString()).isEqualTo("a");
        assertThat(answer.get(2)
                        .path("output")
                        .path("body")
                        .path("JSON")
                        .path("messageId")
                        .asString())
                .isEqualTo("c");
    }

    @Test
    void anUnknownDestinationTypeFailsEachEventWith400() {
        JsonNode answer = json(post("/v0/destinations/nosuchthing", "[" + webhookItem("a") + "]"));
        assertThat(answer.get(0).path("statusCode").asInt()).isEqualTo(400);
        assertThat(answer.get(0).path("error").asString()).contains("NOSUCHTHING");
    }

    @Test
    void numbersReachTheRequestDigitForDigit() {
        String item = """
                {"message": {"type": "track", "event": "e", "messageId": "n", "anonymousId": "x",
                   "properties": {"price": 19999999.99, "rate": 0.0005, "big": 1000000000000000000000,
                     "id": 123456789012345678901234567890, "total": 2.50}},
                 "metadata": {"messageId": "n"},
                 "destination": {"ID": "d", "Config": {"webhookUrl": "https://sink.example/"}}}""";
        String answer = post("/v0/destinations/webhook", "[" + item + "]").body();
        assertThat(answer)
                .contains(
                        "\"price\":19999999.99",
                        "\"rate\":0.0005",
                        "\"big\":1000000000000000000000",
                        "\"id\":123456789012345678901234567890",
                        "\"total\":2.50");
    }

    @Test
    void anEventWithANumberPastTheDoubleRangeFailsAloneWith400() {
        // stored before the gateway refused such integers (review 1330 P1-1): it used to fail the whole request
        String huge = webhookItem("huge")
                .replace("\"anonymousId\": \"x\"", "\"anonymousId\": \"x\", \"n\": 1" + "0".repeat(350));
        HttpResponse<String> response =
                post("/v0/destinations/webhook", "[" + webhookItem("a") + "," + huge + "," + webhookItem("b") + "]");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = json(response);
        assertThat(answer).hasSize(3);
        assertThat(answer.get(0).path("statusCode").asInt()).isEqualTo(200);
        assertThat(answer.get(1).path("statusCode").asInt()).isEqualTo(400);
        assertThat(answer.get(1).path("error").asString()).contains("number out of range");
        assertThat(answer.get(1).path("metadata").path("messageId").asString()).isEqualTo("huge");
        assertThat(answer.get(2).path("statusCode").asInt()).isEqualTo(200);
    }

    private static String webhookItem(String messageId) {
        return """
                {"message": {"type": "track", "event": "e", "messageId": "%1$s", "anonymousId": "x"},
                 "metadata": {"messageId": "%1$s"},
                 "destination": {"ID": "d", "Config": {"webhookUrl": "https://sink.example/"}}}""".formatted(messageId);
    }

    /** JSON_ARRAY.batch is a JSON string: compare what it holds, not its spelling. */
    private static JsonNode normalised(JsonNode output) {
        JsonNode copy = output.deepCopy();
        JsonNode batch = copy.path("body").path("JSON_ARRAY").path("batch");
        if (batch.isString()) {
            ((ObjectNode) copy.path("body").path("JSON_ARRAY")).set("batch", JSON.readTree(batch.asString()));
        }
        return copy;
    }

    private static JsonNode read(Path path) {
        try {
            return JSON.readTree(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
