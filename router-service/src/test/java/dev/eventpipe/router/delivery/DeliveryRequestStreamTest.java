package dev.eventpipe.router.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link DeliveryRequest#parse(String)} reads by streaming ({@link StreamedRequest}) what it can: it must build the
 * same request, byte for byte, as the tree ({@link DeliveryRequest#parse(tools.jackson.databind.JsonNode)} of
 * {@code Json.exact().readTree}, the code that read every payload before), and fail as the tree fails. Each case
 * says whether the stream takes it or leaves it to the tree, so the comparison is not of the tree with itself.
 */
class DeliveryRequestStreamTest {
    private static final String WEBHOOK = "{\"version\":\"1\",\"type\":\"REST\",\"method\":\"POST\","
            + "\"endpoint\":\"http://127.0.0.1:43877/hook\",\"headers\":{\"content-type\":\"application/json\"},"
            + "\"params\":{},\"body\":{\"JSON\":%s,\"JSON_ARRAY\":{},\"XML\":{},\"FORM\":{}},\"files\":{},"
            + "\"userId\":\"anon-66\"}";

    private static String webhook(String json) {
        return WEBHOOK.formatted(json);
    }

    /** What a parse gave: the request's parts, or the failure's class and message. */
    private static String outcome(ThrowingParse parse) {
        try {
            DeliveryRequest r = parse.parse();
            return r.method() + "\n" + r.uri() + "\n" + List.copyOf(r.headers().entrySet()) + "\n" + r.bodyType() + "\n"
                    + (r.body() == null ? "no body" : HexFormat.of().formatHex(r.body()));
        } catch (RuntimeException e) {
            return "failed: " + e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private interface ThrowingParse {
        DeliveryRequest parse();
    }

    private static String tree(String payload) {
        return outcome(() -> DeliveryRequest.parse(Json.exact().readTree(payload)));
    }

    /** The stream takes it, and sends what the tree would. */
    private static void streamed(String payload) {
        assertThat(DeliveryRequest.streamed(payload))
                .as("streamed: %s", payload)
                .isNotNull();
        assertThat(outcome(() -> DeliveryRequest.parse(payload))).as(payload).isEqualTo(tree(payload));
    }

    /** The stream leaves it to the tree, which reads (or refuses) it as before. */
    private static void leftToTree(String payload) {
        assertThat(DeliveryRequest.streamed(payload))
                .as("left to the tree: %s", payload)
                .isNull();
        assertThat(outcome(() -> DeliveryRequest.parse(payload))).as(payload).isEqualTo(tree(payload));
    }

    private static String body(String payload) {
        DeliveryRequest r = DeliveryRequest.parse(payload);
        return r.body() == null ? "" : new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theBenchmarksPayloadIsStreamedAndItsBodySentCompact() {
        String json = "{\"type\":\"track\",\"event\":\"Bench Event\",\"userId\":\"user-66\",\"properties\":"
                + "{\"bench\":\"66:1458:1796066796841\",\"plan\":\"pro\",\"price\":12.5},"
                + "\"context\":{\"library\":{\"name\":\"eventpipe-bench\",\"version\":\"1.0\"},\"ip\":\"127.0.0.1\"}}";
        streamed(webhook(json));
        assertThat(body(webhook(json))).isEqualTo(json);
        // as PostgreSQL's jsonb would print it: the separators are not sent
        String spaced = json.replace("\":", "\": ").replace(",\"", ", \"");
        streamed(webhook(spaced));
        assertThat(body(webhook(spaced))).isEqualTo(json);
        streamed(" \n" + webhook(spaced).replace("{", "{ \t").replace("}", "\r\n}") + "  \n");
    }

    @Test
    void strangeStringsAreWrittenAsTheTreeWritesThem() {
        for (String s : List.of(
                "\\u0000",
                "a\\u0000b",
                "\\u0001\\u001f\\u007f",
                "\\b\\f\\n\\r\\t",
                "\\\"\\\\\\/",
                "/</script>",
                "\\u2028\\u2029\\ufeff\\ufffe\\uffff",
                "é€😀",
                "\\ud83d\\ude00",
                "\\ud800",
                "\\udc00",
                "x\\ud800y",
                "\\udc00\\ud800",
                "\\ud83d",
                "😀\\ud83d",
                "ab\\u00e9\\u20ac",
                "")) {
            String json = "{\"" + s + "\":\"" + s + "\",\"k\":[\"" + s + "\"]}";
            streamed(webhook(json));
            streamed("{\"endpoint\":\"http://h/x" + s + "\",\"method\":\"" + s + "\",\"headers\":{\"h" + s + "\":\"" + s
                    + "\"},\"params\":{\"p" + s + "\":\"" + s + "\"},\"body\":{\"JSON\":" + json + "}}");
        }
    }

    @Test
    void numbersAreWrittenAsTheTreeWritesThem() {
        for (String n : List.of(
                "0",
                "-0",
                "-0.0",
                "-0.000",
                "-0.50",
                "-00.5",
                "0.0",
                "0.000",
                "1.000",
                "12.50",
                "19999999.99",
                "0.0005",
                "1e-7",
                "1E+2",
                "1.0e2",
                "-1.5E-10",
                "2147483647",
                "2147483648",
                "-2147483649",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775809",
                "123456789012345678901234567890",
                "1e400",
                "1e-400",
                "1e9999",
                "1e10000",
                "1e-9999",
                "1e999999999",
                "1e9999999999",
                "4.9e-324",
                "1".repeat(1000),
                "1".repeat(1001),
                "0." + "1".repeat(998),
                "0." + "1".repeat(1000))) {
            String json = "{\"n\":" + n + ",\"a\":[" + n + "," + n + "]}";
            String payload = webhook(json);
            assertThat(outcome(() -> DeliveryRequest.parse(payload))).as(n).isEqualTo(tree(payload));
            // a number skipped (files) is read as the tree reads it
            String skipped =
                    "{\"endpoint\":\"http://h/x\",\"files\":{\"n\":[" + n + "]},\"body\":{\"JSON\":{\"a\":1}}}";
            assertThat(outcome(() -> DeliveryRequest.parse(skipped))).as(n).isEqualTo(tree(skipped));
        }
        streamed(webhook("{\"n\":-0,\"d\":1e-7,\"b\":123456789012345678901234567890,\"z\":1.000}"));
        assertThat(body(webhook("{\"n\":-0,\"d\":1e-7,\"b\":123456789012345678901234567890,\"z\":1.000}")))
                .isEqualTo("{\"n\":0,\"d\":0.0000001,\"b\":123456789012345678901234567890,\"z\":1.000}");
    }

    @Test
    void deepNestingIsCopiedOrRefusedAsTheTreeDoes() {
        for (int depth : new int[] {1, 2, 100, 497, 498, 499, 500, 501, 1000, 5000}) {
            String json = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            String arrays = "[".repeat(depth) + "1" + "]".repeat(depth);
            for (String payload : List.of(
                    webhook(json),
                    webhook(arrays),
                    "{\"endpoint\":\"http://h/x\",\"files\":" + json + ",\"body\":{\"JSON\":[1]}}")) {
                assertThat(outcome(() -> DeliveryRequest.parse(payload)))
                        .as("depth %d", depth)
                        .isEqualTo(tree(payload));
            }
        }
        streamed(webhook("{\"a\":".repeat(100) + "[1,{\"b\":[]}]" + "}".repeat(100)));
    }

    @Test
    void aNameGivenTwiceIsLeftToTheTree() {
        leftToTree(webhook("{\"a\":1,\"b\":2,\"a\":3}"));
        leftToTree(webhook("{\"x\":{\"a\":1,\"a\":{\"c\":1}},\"y\":2}"));
        leftToTree(webhook("[{\"a\":1},{\"b\":1,\"b\":null}]"));
        leftToTree("{\"endpoint\":\"http://h/a\",\"endpoint\":\"http://h/b\",\"body\":{}}");
        leftToTree("{\"endpoint\":\"http://h/a\",\"method\":\"GET\",\"method\":null}");
        leftToTree("{\"endpoint\":\"http://h/a\",\"headers\":{\"a\":null,\"b\":\"2\",\"a\":\"1\"}}");
        leftToTree("{\"endpoint\":\"http://h/a\",\"headers\":{},\"headers\":{\"a\":\"1\"}}");
        leftToTree("{\"endpoint\":\"http://h/a\",\"params\":{\"q\":\"1\",\"q\":\"2\"}}");
        leftToTree("{\"endpoint\":\"http://h/a\",\"body\":{\"JSON\":{\"a\":1}},\"body\":{\"JSON\":{\"b\":1}}}");
        leftToTree("{\"endpoint\":\"http://h/a\",\"body\":{\"JSON\":{\"a\":1},\"JSON\":{}}}");
        leftToTree("{\"endpoint\":\"http://h/a\",\"body\":{\"XML\":{},\"XML\":{\"payload\":\"<a/>\"}}}");
        // the same name in different objects is no repetition; nor are names the stream skips
        streamed(webhook("{\"a\":{\"a\":{\"a\":1}},\"b\":[{\"a\":1},{\"a\":2}],\"c\":{\"a\":2}}"));
        streamed("{\"endpoint\":\"http://h/a\",\"files\":{},\"files\":{\"x\":1},\"userId\":\"a\",\"userId\":\"b\","
                + "\"body\":{\"other\":1,\"other\":2,\"JSON\":{\"k\":1}}}");
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 300; i++)
            many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        streamed(webhook(many + "}"));
        leftToTree(webhook(many + ",\"k150\":0}"));
        leftToTree(webhook(many + ",\"k3\":0}"));
    }

    @Test
    void emptyAndMissingBodiesAreReadAsTheTreeReadsThem() {
        streamed("{\"endpoint\":\"http://h/x\"}");
        streamed("{\"endpoint\":\"http://h/x\",\"body\":{}}");
        streamed("{\"endpoint\":\"http://h/x\",\"body\":null}");
        streamed("{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":{}}}");
        streamed("{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":[]}}");
        streamed("{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":null,\"JSON_ARRAY\":null,\"XML\":{},\"FORM\":[]}}");
        streamed("{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":[null]}}");
        streamed("{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":{\"a\":null}}}");
        streamed("{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":[[]]}}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":\"text\"}}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":5}}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":true}}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"body\":\"x\"}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"body\":[{\"JSON\":{\"a\":1}}]}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"body\":{\"XML\":\"<a/>\"}}");
    }

    @Test
    void otherBodyFormatsAreLeftToTheTreeUnlessAJsonBodyWins() {
        leftToTree(
                "{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":{},\"JSON_ARRAY\":{\"batch\":\"[{\\\"a\\\":1}]\"}}}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"body\":{\"JSON_ARRAY\":{\"batch\":[1,2]}}}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"body\":{\"XML\":{\"payload\":\"<a>é</a>\"}}}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"body\":{\"FORM\":{\"a\":\"1 2\",\"n\":19999999.99,\"z\":null}}}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"body\":{\"GZIP\":{\"payload\":\"{\\\"a\\\":1}\"}}}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"body\":{\"FORM\":[1]}}");
        // JSON first, whatever follows, and wherever it stands among them
        streamed(
                "{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":{\"a\":1},\"FORM\":{\"f\":\"1\"},\"GZIP\":{\"payload\":\"p\"}}}");
        streamed(
                "{\"endpoint\":\"http://h/x\",\"body\":{\"XML\":{\"payload\":\"<a/>\"},\"JSON\":[1],\"JSON_ARRAY\":{\"batch\":\"[]\"}}}");
    }

    @Test
    void endpointMethodHeadersAndQueryAreReadAsTheTreeReadsThem() {
        streamed(
                "{\"endpoint\":\"http://h/x?a=1\",\"method\":\"get\",\"params\":{\"b\":\"2 3\",\"é\":\"&=\",\"n\":null}}");
        streamed("{\"endpoint\":\"http://h/x\",\"method\":\"  \",\"params\":{\"n\":null}}");
        streamed("{\"endpoint\":\"http://h/x\",\"method\":null,\"params\":null,\"headers\":null}");
        streamed("{\"endpoint\":\"http://h/x\",\"headers\":{\"A\":\"1\",\"b\":null,\"User-Agent\":\"x\",\"c\":\"\"}}");
        streamed("{\"endpoint\":\"http://h/x\",\"method\":\"patch\",\"params\":{}}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"params\":{\"z\":1}}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"params\":[1,2]}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"params\":\"q\"}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"headers\":{\"n\":1,\"b\":true,\"o\":{\"a\":[1.50]}}}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"headers\":[\"a\"]}");
        leftToTree("{\"endpoint\":\"http://h/x\",\"method\":1}");
        leftToTree("{\"endpoint\":1}");
        leftToTree("{\"endpoint\":{\"u\":\"http://h/x\"}}");
        leftToTree("{\"endpoint\":\"\"}");
        leftToTree("{\"endpoint\":\"  \"}");
        leftToTree("{\"endpoint\":null}");
        leftToTree("{\"method\":\"POST\"}");
    }

    @Test
    void brokenPayloadsFailAsTheTreeFails() {
        for (String payload : List.of(
                "",
                " ",
                "null",
                "1",
                "\"x\"",
                "[]",
                "[{\"endpoint\":\"http://h/x\"}]",
                "{",
                "{\"endpoint\":\"http://h/x\"",
                "{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":{\"a\":1}}",
                "{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":{\"a\":}}}",
                "{\"endpoint\":\"http://h/x\"}}",
                "{\"endpoint\":\"http://h/x\"} {}",
                "{\"endpoint\":\"http://h/x\"} x",
                "{\"endpoint\":\"http://h/x\"}\u0000",
                "{\"endpoint\":\"http://h/x\",\"files\":[1,]}",
                "{\"endpoint\":\"http://h/x\",\"files\":NaN}",
                "{\"endpoint\":\"http://h/x\",\"files\":01}",
                "{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":{\"a\":NaN}}}",
                "{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":{'a':1}}}",
                "{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":{\"a\":\"\u0001\"}}}",
                "{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":{\"a\":\"\\x\"}}}",
                "{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":{\"a\":\"\\u12\"}}}",
                "{\"endpoint\":\"http://h/x\",\"body\":{\"JSON\":[1 2]}}",
                "{\"endpoint\":\"http://h/x\" /* c */}")) {
            assertThat(DeliveryRequest.streamed(payload)).as(payload).isNull();
            String tree = tree(payload);
            assertThat(tree).as(payload).startsWith("failed: ");
            assertThat(outcome(() -> DeliveryRequest.parse(payload)))
                    .as(payload)
                    .isEqualTo(tree);
        }
    }

    /** Random descriptions of every shape, with hostile strings, numbers and names, against the tree. */
    @Test
    void randomDescriptionsAreReadAsTheTreeReadsThem() {
        Random random = new Random(1816);
        int streamedCount = 0;
        int runs = 4000;
        for (int i = 0; i < runs; i++) {
            String payload = description(random);
            assertThat(outcome(() -> DeliveryRequest.parse(payload)))
                    .as(payload)
                    .isEqualTo(tree(payload));
            if (DeliveryRequest.streamed(payload) != null) streamedCount++;
        }
        // both paths are exercised: most shapes stream, the others go to the tree
        assertThat(streamedCount).isBetween(runs / 4, runs - runs / 20);
    }

    private static final List<String> STRINGS = List.of(
            "",
            "a",
            "Bench Event",
            "\\u0000",
            "é",
            "😀",
            "\\ud83d\\ude00",
            "\\ud800",
            "\\udfff",
            "\\\"",
            "\\\\",
            "/",
            "\\n\\t",
            "\\u2028",
            "a b&c=d?e",
            "\\u007f",
            "\\ufeff",
            "x\\u0001y",
            "http://h/x?y=1");
    private static final List<String> NUMBERS = List.of(
            "0",
            "-0",
            "1",
            "-1",
            "12.5",
            "12.50",
            "1e2",
            "1E-7",
            "-0.0",
            "2147483648",
            "9223372036854775808",
            "123456789012345678901234567890",
            "1e400",
            "0.1",
            "19999999.99");

    private static String description(Random random) {
        StringBuilder out = new StringBuilder("{");
        List<String> fields = new ArrayList<>();
        if (random.nextInt(20) > 0)
            fields.add("\"endpoint\":"
                    + pick(
                            random,
                            12,
                            "\"http://h/x\"",
                            "\"http://h/x?a=1\"",
                            "\"\"",
                            "null",
                            "1",
                            "\"" + str(random) + "\""));
        if (random.nextBoolean())
            fields.add("\"method\":"
                    + pick(random, 4, "\"post\"", "\"GET\"", "null", "\"\"", "2", "\"" + str(random) + "\""));
        if (random.nextBoolean()) fields.add("\"headers\":" + flat(random));
        if (random.nextBoolean()) fields.add("\"params\":" + flat(random));
        if (random.nextInt(10) > 0) {
            List<String> formats = new ArrayList<>();
            if (random.nextInt(4) > 0)
                formats.add("\"JSON\":" + pick(random, 6, value(random, 4, true), "{}", "[]", "null", "\"s\"", "3"));
            for (String f : List.of("JSON_ARRAY", "XML", "FORM", "GZIP"))
                if (random.nextBoolean())
                    formats.add("\"" + f + "\":"
                            + pick(
                                    random,
                                    6,
                                    "{}",
                                    "null",
                                    "[]",
                                    "{\"payload\":\"" + str(random) + "\",\"batch\":\"[1]\"}",
                                    flat(random)));
            if (random.nextInt(8) == 0) formats.add("\"other\":" + value(random, 2, false));
            if (random.nextInt(30) == 0 && !formats.isEmpty()) formats.add(formats.get(0));
            java.util.Collections.shuffle(formats, random);
            fields.add("\"body\":" + (random.nextInt(30) == 0 ? "[]" : "{" + String.join(",", formats) + "}"));
        }
        if (random.nextBoolean()) fields.add("\"files\":" + value(random, 3, false));
        if (random.nextBoolean()) fields.add("\"version\":\"1\"");
        if (random.nextInt(40) == 0 && !fields.isEmpty()) fields.add(fields.get(random.nextInt(fields.size())));
        java.util.Collections.shuffle(fields, random);
        String sep = random.nextInt(5) == 0 ? ", " : ",";
        out.append(String.join(sep, fields)).append('}');
        if (random.nextInt(50) == 0) out.append(pick(random, 3, " ", "x", "{}", "\n"));
        if (random.nextInt(50) == 0) out.setLength(random.nextInt(out.length()));
        return out.toString();
    }

    private static String flat(Random random) {
        if (random.nextInt(10) == 0) return pick(random, 3, "null", "[]", "\"x\"");
        int n = random.nextInt(4);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++)
            parts.add("\"" + (random.nextInt(6) == 0 ? str(random) : "k" + random.nextInt(4)) + "\":"
                    + pick(random, 8, "\"" + str(random) + "\"", "null", num(random), "true", "{\"a\":1}"));
        return "{" + String.join(",", parts) + "}";
    }

    private static String value(Random random, int depth, boolean container) {
        int kind = container ? random.nextInt(2) : random.nextInt(depth > 0 ? 8 : 6);
        switch (container ? 6 + kind : kind) {
            case 0:
                return "\"" + str(random) + "\"";
            case 1:
                return num(random);
            case 2:
                return pick(random, 3, "true", "false", "null");
            case 3, 4, 5:
                return depth > 0 ? value(random, depth - 1, true) : num(random);
            case 6: {
                int n = random.nextInt(5);
                List<String> parts = new ArrayList<>();
                for (int i = 0; i < n; i++)
                    parts.add("\"" + (random.nextInt(5) == 0 ? str(random) : "k" + random.nextInt(6)) + "\":"
                            + value(random, Math.max(0, depth - 1), false));
                return "{" + String.join(random.nextInt(6) == 0 ? ", " : ",", parts) + "}";
            }
            default: {
                int n = random.nextInt(5);
                List<String> parts = new ArrayList<>();
                for (int i = 0; i < n; i++) parts.add(value(random, Math.max(0, depth - 1), false));
                return "[" + String.join(",", parts) + "]";
            }
        }
    }

    private static String str(Random random) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) s.append(STRINGS.get(random.nextInt(STRINGS.size())));
        return s.toString();
    }

    private static String num(Random random) {
        return NUMBERS.get(random.nextInt(NUMBERS.size()));
    }

    /** The first choice with weight {@code first} out of {@code first + others.length - 1}. */
    private static String pick(Random random, int first, String... choices) {
        int r = random.nextInt(first + choices.length - 1);
        return r < first ? choices[0] : choices[r - first + 1];
    }
}
