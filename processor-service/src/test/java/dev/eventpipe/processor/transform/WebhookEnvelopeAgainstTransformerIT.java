package dev.eventpipe.processor.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.WorkspaceConfig;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.EventJson;
import dev.eventpipe.transformer.TransformerApplication;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The in-process WEBHOOK envelope ({@code processor.transformer.webhook-in-process}, the default) against the real
 * transformer service's webhook transform (GraalJS, started here) on hostile events and configs: for each, the
 * transform stage with the setting on must end exactly as with it off (every delivery the same JSON, as the router
 * sends it, and the job's status the same), either because the envelope is the transformer's or because the
 * processor left that event to the transformer. Each case also says which of the two it expects, so the fast path
 * is proven to be taken, not only avoided.
 */
class WebhookEnvelopeAgainstTransformerIT {
    static final ConfigurableApplicationContext transformerApp = new SpringApplicationBuilder(
                    TransformerApplication.class)
            .run(
                    "--server.port=0",
                    "--transformer.config-backend.url=http://127.0.0.1:1",
                    // the processor's classpath has a JDBC driver; the transformer needs no database
                    "--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");

    static final String PLAIN_CONFIG = "{\"webhookUrl\": \"https://sink.example/hook\"}";

    enum Path {
        IN_PROCESS,
        TRANSFORMER
    }

    @AfterAll
    static void stop() {
        transformerApp.close();
    }

    /** Events (JSON text, as the gw job holds it) against the plain config. */
    static Stream<Arguments> events() {
        List<Arguments> cases = new ArrayList<>();
        // strings: NUL, controls, lone surrogates, noncharacters, separators, in values and keys
        for (String s : List.of(
                "a\\u0000b",
                "\\u0001\\u001f\\u007f\\u0085",
                "\\ud800",
                "x\\udfffy",
                "\\ud83d\\ude00",
                "\\\\u0000",
                "\\ufffe\\uffff",
                "\\u2028\\u2029\\u202e\\ufeff\\u200b",
                "\u00e9\u4e2d\\ud83d")) {
            cases.add(event("value " + s, Path.IN_PROCESS, "\"properties\":{\"note\":\"" + s + "\"}"));
            // a lone surrogate in a key: the transformer refuses the request (400), so such events go to it
            Path inKey = s.equals("\\ud800") || s.equals("x\\udfffy") || s.equals("\u00e9\u4e2d\\ud83d")
                    ? Path.TRANSFORMER
                    : Path.IN_PROCESS;
            cases.add(event("key " + s, inKey, "\"properties\":{\"k" + s + "\":1}"));
            cases.add(event("anonymousId " + s, Path.IN_PROCESS, "\"anonymousId\":\"" + s + "\""));
            cases.add(event("request_ip " + s, Path.IN_PROCESS, "\"request_ip\":\"" + s + "\""));
        }
        // keys JavaScript treats specially
        cases.add(event("__proto__ key", Path.IN_PROCESS, "\"properties\":{\"__proto__\":{\"x\":1},\"a\":2}"));
        cases.add(event("__proto__ context", Path.IN_PROCESS, "\"context\":{\"__proto__\":{\"ip\":\"9.9.9.9\"}}"));
        cases.add(event("constructor key", Path.IN_PROCESS, "\"properties\":{\"constructor\":\"x\",\"toString\":1}"));
        cases.add(event("integer-like keys", Path.IN_PROCESS, "\"properties\":{\"b\":1,\"10\":2,\"2\":3,\"-1\":4}"));
        // numbers a double carries: written back as they came
        for (String n : List.of(
                "0",
                "-0",
                "1",
                "-1",
                "49.5",
                "19999999.99",
                "0.0005",
                "9007199254740992",
                "-9007199254740992",
                "1e21",
                "1e22",
                "1E+22",
                "1.5e3",
                "1e-7",
                "0.000001",
                "5e-324",
                "1.7976931348623157e308")) {
            cases.add(event("number " + n, Path.IN_PROCESS, "\"properties\":{\"v\":" + n + ",\"w\":[" + n + "]}"));
        }
        // numbers a double does not carry: the transformer puts them back (ExactNumbers), alone in their event
        for (String n : List.of(
                "2.50",
                "0.0",
                "-0.0",
                "123456789012345678901234567890",
                "9007199254740993",
                "0.12345678901234567891")) {
            cases.add(event("exact number " + n, Path.IN_PROCESS, "\"properties\":{\"v\":" + n + "}"));
        }
        // ... and where the transformer does not give them back as they came: left to it
        cases.add(event("1e-400 (0 in JavaScript, put back)", Path.IN_PROCESS, "\"properties\":{\"v\":1e-400}"));
        for (String n : List.of("1e400", "-1e400", "-1e-400")) {
            cases.add(event("out of range " + n, Path.TRANSFORMER, "\"properties\":{\"v\":" + n + "}"));
        }
        // integers past the double range: the one such number the gateway let through before review 1330 P1-1
        cases.add(event(
                "out of range 350-digit integer", Path.TRANSFORMER, "\"properties\":{\"v\":1" + "0".repeat(350) + "}"));
        cases.add(event(
                "out of range -400-digit integer",
                Path.TRANSFORMER,
                "\"properties\":{\"v\":-" + "9".repeat(400) + "}"));
        cases.add(event(
                "309-digit integer (finite)",
                Path.IN_PROCESS,
                "\"properties\":{\"v\":" + new java.math.BigDecimal(Double.MAX_VALUE).toBigInteger() + "}"));
        cases.add(event("2.50 and 2.5", Path.TRANSFORMER, "\"properties\":{\"a\":2.50,\"b\":2.5}"));
        cases.add(event("2.50 and 2.500", Path.TRANSFORMER, "\"properties\":{\"a\":2.50,\"b\":2.500}"));
        cases.add(event("0.0 and 0", Path.TRANSFORMER, "\"properties\":{\"a\":0.0,\"b\":0}"));
        cases.add(event("1e-400 and 0", Path.TRANSFORMER, "\"properties\":{\"a\":1e-400,\"b\":0}"));
        cases.add(event(
                "a big integer and its double",
                Path.TRANSFORMER,
                "\"properties\":{\"a\":123456789012345678901234567890,\"b\":1.2345678901234568e+29}"));
        cases.add(event(
                "two big integers with one double",
                Path.TRANSFORMER,
                "\"properties\":{\"a\":123456789012345678901234567890,\"b\":123456789012345678901234567891}"));
        cases.add(event("2.50 twice", Path.IN_PROCESS, "\"properties\":{\"a\":2.50,\"b\":[2.50]}"));
        // deep objects
        // the envelope's limit is WebhookEnvelope.MAX_DEPTH (256, the event itself at depth 1): 256 in process, 257 not
        for (int depth : List.of(50, 200, 256, 257, 490, 497, 498)) {
            Path expected = depth <= WebhookEnvelope.MAX_DEPTH ? Path.IN_PROCESS : Path.TRANSFORMER;
            cases.add(event("depth " + depth, expected, "\"properties\":" + nested(depth - 1)));
        }
        cases.add(event(
                "deep array", Path.TRANSFORMER, "\"properties\":{\"a\":" + "[".repeat(480) + "]".repeat(480) + "}"));
        // arrays at the limit: the innermost at depth 2 + n (event 1, properties 2)
        cases.add(event(
                "array depth 256",
                Path.IN_PROCESS,
                "\"properties\":{\"a\":" + "[".repeat(254) + "]".repeat(254) + "}"));
        cases.add(event(
                "array depth 257",
                Path.TRANSFORMER,
                "\"properties\":{\"a\":" + "[".repeat(255) + "]".repeat(255) + "}"));
        // missing and odd fields
        cases.add(Arguments.of(
                "no anonymousId", Path.IN_PROCESS, "{\"type\":\"track\",\"userId\":\"u\",\"messageId\":\"m-1\"}"));
        cases.add(event("anonymousId null", Path.IN_PROCESS, "\"anonymousId\":null,\"userId\":\"u\""));
        cases.add(event("anonymousId number", Path.TRANSFORMER, "\"anonymousId\":42"));
        cases.add(event("anonymousId object", Path.TRANSFORMER, "\"anonymousId\":{\"a\":1}"));
        cases.add(event("no context", Path.IN_PROCESS, "\"properties\":{}"));
        cases.add(event("context null", Path.IN_PROCESS, "\"context\":null"));
        cases.add(event("context array", Path.IN_PROCESS, "\"context\":[1,2]"));
        cases.add(event("context string", Path.IN_PROCESS, "\"context\":\"x\""));
        cases.add(event("context.ip empty", Path.IN_PROCESS, "\"context\":{\"ip\":\"\"}"));
        cases.add(event("context.ip 0", Path.IN_PROCESS, "\"context\":{\"ip\":0}"));
        cases.add(event("context.ip false", Path.IN_PROCESS, "\"context\":{\"ip\":false}"));
        cases.add(event("context.ip object", Path.IN_PROCESS, "\"context\":{\"ip\":{}}"));
        cases.add(event("request_ip number", Path.IN_PROCESS, "\"request_ip\":7"));
        cases.add(event("request_ip object", Path.IN_PROCESS, "\"request_ip\":{\"a\":[1]}"));
        cases.add(event("type in capitals", Path.IN_PROCESS, "\"type\":\"IDENTIFY\""));
        cases.add(Arguments.of("page", Path.IN_PROCESS, "{\"type\":\"page\",\"anonymousId\":\"a\",\"name\":\"p\"}"));
        cases.add(Arguments.of(
                "alias", Path.IN_PROCESS, "{\"type\":\"alias\",\"anonymousId\":\"a\",\"previousId\":\"b\"}"));
        return cases.stream();
    }

    /** Destination configs against a plain event. */
    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("plain", Path.IN_PROCESS, PLAIN_CONFIG),
                Arguments.of("url trimmed", Path.IN_PROCESS, "{\"webhookUrl\": \"  https://x.example/h  \"}"),
                Arguments.of(
                        "url with a no-break space", Path.TRANSFORMER, "{\"webhookUrl\": \"\u00a0https://x\u00a0\"}"),
                Arguments.of("url with a tab", Path.TRANSFORMER, "{\"webhookUrl\": \"\\thttps://x\\t\"}"),
                Arguments.of("url a number", Path.TRANSFORMER, "{\"webhookUrl\": 42}"),
                Arguments.of("no url", Path.TRANSFORMER, "{}"),
                Arguments.of("blank url", Path.TRANSFORMER, "{\"webhookUrl\": \"   \"}"),
                Arguments.of(
                        "method put", Path.IN_PROCESS, "{\"webhookUrl\": \"https://x\", \"webhookMethod\": \"put\"}"),
                Arguments.of(
                        "method false", Path.IN_PROCESS, "{\"webhookUrl\": \"https://x\", \"webhookMethod\": false}"),
                Arguments.of(
                        "method GET", Path.TRANSFORMER, "{\"webhookUrl\": \"https://x\", \"webhookMethod\": \"GET\"}"),
                Arguments.of(
                        "method unknown",
                        Path.TRANSFORMER,
                        "{\"webhookUrl\": \"https://x\", \"webhookMethod\": \"BREW\"}"),
                Arguments.of(
                        "method with a long s",
                        Path.TRANSFORMER,
                        "{\"webhookUrl\": \"https://x\", \"webhookMethod\": \"po\u017ft\"}"),
                Arguments.of(
                        "headers",
                        Path.IN_PROCESS,
                        headers("{\"from\": \" X-Key \", \"to\": \"k\"}, {\"from\": \"X-N\", \"to\": 3},"
                                + " {\"from\": \"X-B\", \"to\": true}, {\"from\": \"X-Null\", \"to\": null},"
                                + " {\"to\": \"no name\"}, {\"from\": \"  \", \"to\": \"blank\"}, {\"from\": \"X-U\"},"
                                + " {\"from\": \"X-Key\", \"to\": \"again\"}, {\"from\": \"X-Neg\", \"to\": -9007199254740992},"
                                + " {\"from\": \"X-Text\", \"to\": \"\u00e9\\u0000\\ud800\"}, null, 7")),
                Arguments.of("header __proto__", Path.TRANSFORMER, headers("{\"from\": \"__proto__\", \"to\": \"x\"}")),
                Arguments.of(
                        "header 2^53 + 1",
                        Path.TRANSFORMER,
                        headers("{\"from\": \"X-Big\", \"to\": 9007199254740993}")),
                Arguments.of("header 1.5", Path.TRANSFORMER, headers("{\"from\": \"X-F\", \"to\": 1.5}")),
                Arguments.of("header object", Path.TRANSFORMER, headers("{\"from\": \"X-O\", \"to\": {\"a\": 1}}")),
                Arguments.of(
                        "header name non-ASCII", Path.TRANSFORMER, headers("{\"from\": \"X-\u00e9\", \"to\": \"v\"}")),
                Arguments.of(
                        "headers not a list",
                        Path.IN_PROCESS,
                        "{\"webhookUrl\": \"https://x\", \"headers\": {\"a\": 1}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void eachEventEndsAsWithTheTransformerAlone(String name, Path expected, String event) {
        assertSameOutcome(event, PLAIN_CONFIG, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void eachConfigEndsAsWithTheTransformerAlone(String name, Path expected, String config) {
        assertSameOutcome(
                "{\"type\":\"track\",\"event\":\"e\",\"anonymousId\":\"a\",\"properties\":{\"price\":49.5,\"n\":2}}",
                config,
                expected);
    }

    private static void assertSameOutcome(String event, String destinationConfig, Path expected) {
        Recording on = new Recording(true);
        String inProcess = outcome(on, event, destinationConfig);
        Recording off = new Recording(false);
        String transformer = outcome(off, event, destinationConfig);

        assertThat(off.paths).as("the transformer was asked").isNotEmpty();
        assertThat(inProcess).isEqualTo(transformer);
        assertThat(on.paths.isEmpty() ? Path.IN_PROCESS : Path.TRANSFORMER)
                .as("which path the in-process setting took")
                .isEqualTo(expected);
    }

    /**
     * The deliveries, with their object keys sorted and numbers plain, and the job's status. The router does not sort
     * keys: it sends the stored text's order (rt {@code event_payload} is {@code text}; DeliveryRequest writes
     * {@code body.JSON} in that order). The sort hides the one documented difference (WebhookEnvelope: JavaScript
     * moves integer-like keys first, the in-process envelope keeps the event's order), and so any other order
     * difference too (review 1330 P2-4).
     */
    private static String outcome(Recording client, String event, String destinationConfig) {
        ConfigIndex config = index(destinationConfig);
        BatchWork work = routed(client.properties, config, event);
        assertThat(work.routed()).as("routed to the webhook").hasSize(1);
        try {
            new TransformStage(client, client.properties).apply(work, config);
        } catch (RuntimeException e) {
            return "threw " + e.getClass().getName();
        }
        List<String> deliveries = new ArrayList<>();
        for (String output : work.routed().getFirst().outputs())
            deliveries.add(Json.exact().writeValueAsString(sorted(EventJson.MAPPER.readTree(output))));
        var status = work.report(work.jobs().getFirst()).status(7, 1, Instant.EPOCH);
        // a transformer's error page carries the time it was written
        String response = status.errorResponse().replaceAll("timestamp[^,]*,", "timestamp,");
        return "deliveries " + deliveries + "\nstate " + status.state() + " " + status.errorCode() + " " + response;
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> keys = new TreeMap<>();
            for (var e : node.properties()) keys.put(e.getKey(), sorted(e.getValue()));
            ObjectNode out = EventJson.MAPPER.createObjectNode();
            keys.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = EventJson.MAPPER.createArrayNode();
            for (JsonNode v : node) out.add(sorted(v));
            return out;
        }
        return node;
    }

    /** The real client, recording the paths it posts to. */
    private static final class Recording extends TransformerClient {
        final ProcessorProperties properties;
        final List<String> paths = new ArrayList<>();

        Recording(boolean inProcess) {
            this(properties(inProcess));
        }

        private Recording(ProcessorProperties properties) {
            super(properties, new TransformerStatus());
            this.properties = properties;
        }

        @Override
        public List<Answer> postAll(String path, List<ArrayNode> bodies, int concurrency) {
            paths.add(path);
            return super.postAll(path, bodies, concurrency);
        }
    }

    private static ProcessorProperties properties(boolean inProcess) {
        String url = "http://127.0.0.1:" + transformerApp.getEnvironment().getProperty("local.server.port");
        return new Binder(new MapConfigurationPropertySource(Map.of(
                        "processor.transformer.webhook-in-process",
                        String.valueOf(inProcess),
                        "processor.transformer.url",
                        url)))
                .bindOrCreate("processor", Bindable.of(ProcessorProperties.class));
    }

    private static ConfigIndex index(String destinationConfig) {
        String config = """
                {"workspaceId": "ws-1", "sources": [{"id": "src-1", "name": "web", "writeKey": "wk", "enabled": true,
                  "workspaceId": "ws-1", "sourceDefinition": {"id": "sd", "name": "HTTP", "category": ""},
                  "destinations": [{"id": "d-1", "name": "hook", "enabled": true, "isProcessorEnabled": true,
                     "config": %s,
                     "destinationDefinition": {"id": "dd", "name": "WEBHOOK", "displayName": "Webhook",
                       "config": {}}}]}]}""".formatted(destinationConfig);
        return ConfigIndex.of(Json.mapper().readValue(config, WorkspaceConfig.class));
    }

    private static BatchWork routed(ProcessorProperties p, ConfigIndex config, String event) {
        return RoutedWork.of(p, config, event);
    }

    private static final List<String> BASE = List.of(
            "\"type\":\"track\"",
            "\"event\":\"e\"",
            "\"anonymousId\":\"a\"",
            "\"messageId\":\"m-1\"",
            "\"request_ip\":\"203.0.113.9\"");

    /** A track event of anonymous user {@code a} with these fields (which replace the base fields they name). */
    private static Arguments event(String name, Path expected, String fields) {
        List<String> all = new ArrayList<>();
        for (String base : BASE) {
            String key = base.substring(0, base.indexOf(':') + 1);
            if (!fields.startsWith(key) && !fields.contains("," + key)) all.add(base);
        }
        all.add(fields);
        return Arguments.of(name, expected, "{" + String.join(",", all) + "}");
    }

    /** An object {@code depth} levels deep. */
    private static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    private static String headers(String elements) {
        return "{\"webhookUrl\": \"https://x\", \"headers\": [" + elements + "]}";
    }
}
