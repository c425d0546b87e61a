package dev.eventpipe.processor.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.DestinationDefinition;
import dev.eventpipe.processor.pipeline.EventJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 16: the WEBHOOK envelope is written straight to the generator, without a tree or a copy of the event. Its
 * text must be, byte for byte, what the tree it replaced serialised to ({@link WebhookEnvelopeTree}, the code before
 * the change): the same keys in the same order ({@code context} and {@code context.ip} replaced in place or added
 * last), the same escaping of NUL, controls, lone surrogates and separators, the same number forms; and it must
 * take the in-process path for exactly the same events and configs. The event itself must stay as it was (it is
 * shared by the event's destinations and the archive line).
 */
class WebhookEnvelopeTextTest {
    /** JSON string literals: hostile text of the kinds WebhookEnvelopeAgainstTransformerIT sends. */
    private static final List<String> STRINGS = List.of(
            "\"\"",
            "\"a\"",
            "\"a\\u0000b\"",
            "\"\\u0001\\u001f\\u007f\\u0085\"",
            "\"\\ud800\"",
            "\"x\\udfffy\"",
            "\"\\ud83d\\ude00\"",
            "\"\\\\u0000\"",
            "\"\\ufffe\\uffff\"",
            "\"\\u2028\\u2029\\u202e\\ufeff\\u200b\"",
            "\"\u00e9\u4e2d\\ud83d\"",
            "\"quote \\\" and \\\\ and \\/ and </script>\"",
            "\"\\t\\n\\r\\b\\f\"",
            "\"0\"",
            "\"203.0.113.9\"");

    private static final List<String> KEYS = List.of(
            "\"a\"",
            "\"__proto__\"",
            "\"constructor\"",
            "\"10\"",
            "\"-1\"",
            "\"context\"",
            "\"ip\"",
            "\"request_ip\"",
            "\"k\\ud800\"",
            "\"\"",
            "\"\u00e9\\u0000\"",
            "\"x\\u2028y\"");
    private static final List<String> NUMBERS = List.of(
            "0",
            "-0",
            "1",
            "-1",
            "49.5",
            "19999999.99",
            "0.0005",
            "9007199254740992",
            "9007199254740993",
            "1e21",
            "1e22",
            "1E+22",
            "1.5e3",
            "1e-7",
            "2.50",
            "0.0",
            "-0.0",
            "123456789012345678901234567890",
            "1e400",
            "-1e-400",
            "1e-400",
            "0.12345678901234567891",
            "5e-324",
            "1.7976931348623157e308",
            "1" + "0".repeat(350));
    /** Values an event's context.ip or request_ip may hold, truthy and falsy. */
    private static final List<String> IPS = List.of(
            "\"\"",
            "\"1.2.3.4\"",
            "0",
            "0.0",
            "-0",
            "7",
            "false",
            "true",
            "null",
            "{}",
            "[]",
            "{\"a\":[1]}",
            "\"\\u0000\"",
            "\"\\ud800\"");

    private final Random random = new Random(16);

    @Test
    void theStreamedEnvelopeIsTheTreesTextForRandomHostileEvents() {
        List<Destination> destinations = destinations();
        int inProcess = 0;
        int transformer = 0;
        for (int i = 0; i < 3000; i++) {
            String text = event();
            JsonNode event = EventJson.MAPPER.readTree(text);
            for (Destination d : destinations) {
                if (same(event, d, text)) inProcess++;
                else transformer++;
            }
        }
        // both paths were taken, many times: the comparison above is not vacuous
        assertThat(inProcess).isGreaterThan(1000);
        assertThat(transformer).isGreaterThan(3000);
        System.out.println("WebhookEnvelopeTextTest: " + inProcess + " built in process, " + transformer + " not");
    }

    @Test
    void theStreamedEnvelopeIsTheTreesTextForEveryContextAndRequestIpShape() {
        List<String> contexts = new ArrayList<>(List.of("null", "\"x\"", "[1,2]", "{}", "7", "false"));
        for (String ip : IPS) {
            contexts.add("{\"ip\":" + ip + "}");
            contexts.add("{\"library\":{\"name\":\"n\"},\"ip\":" + ip + ",\"locale\":\"en\"}");
        }
        contexts.add("{\"__proto__\":{\"ip\":\"9.9.9.9\"}}");
        List<String> requestIps = new ArrayList<>(IPS);
        requestIps.add(null);
        int checked = 0;
        for (String context : contexts) {
            for (String requestIp : requestIps) {
                for (boolean contextFirst : List.of(true, false)) {
                    List<String> fields = new ArrayList<>(List.of("\"type\":\"track\"", "\"anonymousId\":\"a\""));
                    if (requestIp != null) fields.add("\"request_ip\":" + requestIp);
                    fields.add(contextFirst ? 0 : fields.size(), "\"context\":" + context);
                    fields.add("\"properties\":{\"ip\":\"p\"}");
                    String text = "{" + String.join(",", fields) + "}";
                    if (same(EventJson.MAPPER.readTree(text), destinations().getFirst(), text)) checked++;
                }
            }
            // and no context at all
            String text = "{\"type\":\"track\",\"request_ip\":\"1.2.3.4\"}";
            assertThat(same(EventJson.MAPPER.readTree(text), destinations().getFirst(), text))
                    .isTrue();
        }
        assertThat(checked).as("built in process").isGreaterThan(800);
    }

    @Test
    void theStreamedEnvelopeIsTheTreesTextAtTheDepthLimitAndForTheTransformersFixtures() throws IOException {
        Destination plain = destinations().getFirst();
        for (int depth : List.of(3, 100, 255, 256, 257, 300)) {
            String nested = "{\"a\":".repeat(depth - 2) + "{}" + "}".repeat(depth - 2);
            String array = "[".repeat(depth - 2) + "]".repeat(depth - 2);
            for (String properties : List.of(nested, "{\"a\":" + array + "}")) {
                String text = "{\"type\":\"track\",\"request_ip\":\"1.2.3.4\",\"properties\":" + properties + "}";
                same(EventJson.MAPPER.readTree(text), plain, "depth " + depth);
            }
        }
        Path fixtures = Path.of("../transformer-service/src/test/resources/fixtures/destinations/webhook");
        try (var files = Files.list(fixtures)) {
            for (Path fixture :
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode request =
                        EventJson.MAPPER.readTree(Files.readString(fixture)).path("request");
                @SuppressWarnings("unchecked")
                Map<String, Object> config = EventJson.MAPPER.convertValue(
                        request.path("destination").path("Config"), Map.class);
                same(request.path("message"), destination(config), fixture.toString());
            }
        }
    }

    /** Asserts the texts are equal and the event unchanged; true when the envelope was built in process. */
    private static boolean same(JsonNode event, Destination d, String description) {
        String before = event.toString();
        Optional<String> tree = WebhookEnvelopeTree.of(event, d).map(EventJson.MAPPER::writeValueAsString);
        Optional<String> streamed = WebhookEnvelope.of(event, d);
        assertThat(streamed).as(description + " with " + d.config()).isEqualTo(tree);
        assertThat(event.toString()).as("the event is not changed").isEqualTo(before);
        return streamed.isPresent();
    }

    private String event() {
        List<String> fields = new ArrayList<>();
        fields.add("\"type\":"
                + pick("\"track\"", "\"TRACK\"", "\"identify\"", "\"page\"", "\"custom\"", "7", "\"track\""));
        if (random.nextInt(5) > 0)
            fields.add("\"anonymousId\":" + pick("\"a\"", "null", "7", "{\"a\":1}", pick(STRINGS)));
        if (random.nextInt(5) > 0) fields.add("\"request_ip\":" + pick(pick(IPS), pick(STRINGS)));
        if (random.nextInt(5) > 0) {
            String context = switch (random.nextInt(6)) {
                case 0 -> pick("null", "\"x\"", "[1,2]", "{}");
                case 1 -> "{\"ip\":" + pick(IPS) + "}";
                case 2 -> "{\"__proto__\":{\"ip\":\"9.9.9.9\"}}";
                default -> object(2);
            };
            fields.add("\"context\":" + context);
        }
        fields.add("\"messageId\":" + pick(STRINGS));
        fields.add("\"properties\":" + object(4));
        for (int i = random.nextInt(3); i > 0; i--) fields.add(pick(KEYS) + ":" + value(3));
        Collections.shuffle(fields, random);
        return "{" + String.join(",", fields) + "}";
    }

    private String value(int depth) {
        return switch (depth <= 0 ? random.nextInt(3) : random.nextInt(5)) {
            case 0 -> pick(STRINGS);
            case 1 -> random.nextInt(4) == 0 ? pick(NUMBERS) : Integer.toString(random.nextInt(-1000, 1000));
            case 2 -> pick("true", "false", "null");
            case 3 -> object(depth - 1);
            default -> {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) items.add(value(depth - 1));
                yield "[" + String.join(",", items) + "]";
            }
        };
    }

    private String object(int depth) {
        List<String> entries = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) entries.add(pick(KEYS) + ":" + value(depth - 1));
        return "{" + String.join(",", entries) + "}";
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static List<Destination> destinations() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("webhookUrl", " https://x.example/h ");
        headers.put("webhookMethod", "patch");
        List<Map<String, Object>> list = new ArrayList<>();
        list.add(Map.of("from", " X-Key ", "to", "k\u0000\ud800"));
        list.add(Map.of("from", "X-N", "to", 3));
        list.add(Map.of("from", "content-type", "to", "text/plain"));
        list.add(Map.of("from", "X-Key", "to", "again"));
        Map<String, Object> nullValue = new LinkedHashMap<>();
        nullValue.put("from", "X-Null");
        nullValue.put("to", null);
        list.add(nullValue);
        headers.put("headers", list);
        return List.of(
                destination(Map.of("webhookUrl", "https://sink.example/hook")),
                destination(headers),
                destination(Map.of("webhookUrl", "https://x", "webhookMethod", "GET")));
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
