package dev.eventpipe.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.auth.ServiceToken;
import dev.eventpipe.model.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Poison inputs through the real gateway, processor, transformer and router processes on one PostgreSQL (issue
 * 13, "Prove it"). Every field that reaches a {@code jsonb} column, or the job's user key, gets each hostile
 * value: the escape {@code \u0000}, lone surrogates, an escaped backslash before {@code u0000}, noncharacters,
 * controls, separators, a valid surrogate pair. Each poison event is sent in a {@code /v1/batch} after a normal
 * event of the same user, while other users send theirs at the same time (so poison and normal events share
 * the gateway's group commits and the processor's batches). Bytes that are not JSON (a raw NUL, invalid UTF-8)
 * are sent too. The sink answers some events with hostile bodies (NUL, invalid UTF-8): 500 once, so the router's
 * status commit stores the answer and retries, and 400, so the job is aborted with the answer as its reason.
 *
 * <p>What holds: the gateway answers 200 or 400 with RudderStack's text (never 5xx, never a database error); a
 * poison event it accepted is delivered as valid JSON, or aborted or filtered with its reason visible (the
 * processor's recent events, the router's failed events); every acknowledged normal event is stored once and
 * delivered (twice only as a router retry after an unanswered attempt, {@link DoubleCheck}) and each user's events
 * arrive in the order sent; afterwards the pipeline still delivers new events.
 */
class PoisonIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int USERS = 6;

    /** Hostile string values, as JSON string contents (escapes as sent on the wire). */
    private static final List<String> VALUES = List.of(
            "a\\u0000b", // NUL: jsonb refuses it
            "\\u0000",
            "\\ud800", // a lone high surrogate
            "x\\udfffy", // a lone low surrogate
            "\\ud83d\\ude00", // a valid pair (an emoji)
            "\\\\u0000", // backslash, then u0000: six characters, no NUL
            "\\ufffe\\uffff", // noncharacters
            "\\u0001\\u001f\\u007f\\u0085", // controls
            "\\u2028\\u2029\\u202e\\ufeff\\u200b", // separators, right-to-left override, BOM, zero width space
            "\u00e9\u4e2d\\ud83d"); // raw UTF-8, then a high surrogate at the end

    /** Where a hostile value goes: the event (a JSON object body without braces) for case {@code id}. */
    private static final Map<String, BiFunction<String, String, String>> FIELDS = fields();

    @TempDir
    Path dir;

    private final List<String> gatewayAnswers = new CopyOnWriteArrayList<>();
    private final List<String> rawAnswers = new CopyOnWriteArrayList<>();
    private final Map<String, Case> accepted = new ConcurrentHashMap<>();
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    private final Map<Integer, List<Integer>> acknowledgedNormal = new ConcurrentHashMap<>();

    record Case(String id, String field, String value, int user, int seq) {}

    private static Map<String, BiFunction<String, String, String>> fields() {
        Map<String, BiFunction<String, String, String>> f = new java.util.LinkedHashMap<>();
        // base: (case id, value) -> the event's fields besides type, userId, messageId and properties
        f.put("event", (id, v) -> "\"event\":\"" + v + "\"");
        f.put("properties value", (id, v) -> "\"event\":\"Poison\",\"properties\":{\"note\":\"" + v + "\",%P}");
        f.put("properties key", (id, v) -> "\"event\":\"Poison\",\"properties\":{\"k" + v + "\":1,%P}");
        f.put(
                "properties array",
                (id, v) -> "\"event\":\"Poison\",\"properties\":{\"list\":[\"" + v + "\",{\"" + v + "\":\"" + v
                        + "\"}],%P}");
        f.put("context.page.title", (id, v) -> "\"event\":\"Poison\",\"context\":{\"page\":{\"title\":\"" + v + "\"}}");
        f.put(
                "context.sources.job_run_id",
                (id, v) -> "\"event\":\"Poison\",\"context\":{\"sources\":{\"job_run_id\":\"" + v + "\",\"job_id\":\""
                        + v + "\"}}");
        f.put(
                "context.sources.task_run_id",
                (id, v) -> "\"event\":\"Poison\",\"context\":{\"sources\":{\"task_run_id\":\"" + v + "\"}}");
        f.put(
                "context.traits",
                (id, v) -> "\"event\":\"Poison\",\"context\":{\"traits\":{\"name\":\"" + v + "\",\"" + v + "\":true}}");
        f.put("traits", (id, v) -> "\"event\":\"Poison\",\"traits\":{\"email\":\"" + v + "\"}");
        f.put("integrations", (id, v) -> "\"event\":\"Poison\",\"integrations\":{\"All\":true,\"" + v + "\":false}");
        f.put("messageId", (id, v) -> "\"event\":\"Poison\",%M" + v + "\"");
        f.put("userId", (id, v) -> "\"event\":\"Poison\",%U" + v + "\"");
        f.put("anonymousId", (id, v) -> "\"event\":\"Poison\",\"anonymousId\":\"" + v + "\"");
        f.put("recordId", (id, v) -> "\"event\":\"Poison\",\"recordId\":\"" + v + "\"");
        f.put("originalTimestamp", (id, v) -> "\"event\":\"Poison\",\"originalTimestamp\":\"" + v + "\"");
        f.put("type", (id, v) -> "\"event\":\"Poison\",%T" + v + "\"");
        return f;
    }

    @Test
    void noValueInAnyFieldStopsThePipelineOrItsNeighboursAndEachIsDeliveredOrAbortedWithItsReason() throws Exception {
        try (Cluster cluster = new Cluster(dir, false, Map.of(), c -> Cluster.webhookSource(c.sink.url()))) {
            cluster.sink.script = PoisonIT::hostileAnswers;
            cluster.startPipeline();
            String gateway = cluster.gateways.getFirst().url("/v1/batch");

            // the poison phase: each user walks through its share of the cases, all users at once
            List<Case> cases = new ArrayList<>();
            int n = 0;
            for (String field : FIELDS.keySet())
                for (String value : VALUES) {
                    cases.add(new Case("c" + n, field, value, n % USERS, 0)); // seq: set when sent
                    n++;
                }
            List<Thread> users = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                int user = u;
                List<Case> mine = cases.stream().filter(c -> c.user() == user).toList();
                users.add(Thread.ofVirtual().start(() -> sendCases(gateway, user, mine)));
            }
            users.add(Thread.ofVirtual().start(() -> sendRaw(gateway)));
            for (Thread t : users) t.join();

            // the gateway never failed: 200 or a 400 with RudderStack's text
            assertThat(gatewayAnswers)
                    .isNotEmpty()
                    .allSatisfy(answer -> assertThat(answer)
                            .matches("200 ok|400 invalid json\\n|400 event is not a valid rudder event\\n"));
            assertThat(gatewayAnswers).anyMatch(a -> a.startsWith("200"));
            assertThat(rawAnswers).hasSize(4).allMatch("400 invalid json\n"::equals);

            // every case the gateway accepted ends delivered, or aborted or filtered with a reason
            Map<String, String> outcomes = new HashMap<>();
            Awaitility.await("every accepted poison event delivered or aborted")
                    .atMost(Duration.ofMinutes(6))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> {
                        outcomes.clear();
                        outcomes.putAll(outcomes(cluster));
                        return outcomes.keySet().containsAll(accepted.keySet()) && allNormalDelivered(cluster.sink);
                    });
            System.out.println("poison refused by the gateway: " + refused);
            System.out.println("poison outcomes (case: field, outcome): ");
            accepted.values().stream()
                    .sorted(java.util.Comparator.comparingInt(c -> Integer.parseInt(c.id().substring(1))))
                    .forEach(c -> System.out.println(
                            "  " + c.id() + " " + c.field() + " " + c.value() + ": " + outcomes.get(c.id())));

            // a delivered value is the one sent (a lone surrogate may have become U+FFFD on the way)
            for (JsonNode e : cluster.sink.accepted) {
                Case c = accepted.get(e.path("properties").path("case").asString(""));
                if (c == null || !DELIVERED_AT.containsKey(c.field())) continue;
                String sent = Json.mapper().readTree("\"" + c.value() + "\"").asString();
                String expected = switch (c.field()) {
                    case "userId" -> "user-" + c.user() + "x" + sent;
                    default -> sent;
                };
                assertThat(e.at(DELIVERED_AT.get(c.field())).asString())
                        .as(c + " delivered as " + e)
                        .isIn(expected, withoutLoneSurrogates(expected));
            }

            // the router's status commit stored hostile answers: a retried job, and an aborted one with its reason
            JsonNode aborted = getJson(cluster.routers
                    .getFirst()
                    .url("/api/v1/failed-events?workspaceId=ws-scale&state=aborted&limit=500"));
            assertThat(aborted.path("items").values()).anySatisfy(item -> {
                assertThat(item.path("errorCode").asString()).isEqualTo("400");
                assertThat(item.path("errorResponse").toString()).contains("refused");
            });

            // nothing the sink got was invalid JSON; normal events stored once each, delivered in order per user
            assertThat(cluster.sink.unparseable).isEmpty();
            assertNormalStoredOnceDeliveredInOrder(cluster);

            // and the pipeline goes on
            for (int u = 0; u < USERS; u++) {
                int seq = 10_000;
                post(gateway, "{\"batch\":[" + normal(u, seq) + "," + normal(u, seq + 1) + "]}");
                acknowledgedNormal
                        .computeIfAbsent(u, k -> new CopyOnWriteArrayList<>())
                        .addAll(List.of(seq, seq + 1));
            }
            Awaitility.await("new events after the poison")
                    .atMost(Duration.ofMinutes(3))
                    .until(() -> allNormalDelivered(cluster.sink));
            assertNormalStoredOnceDeliveredInOrder(cluster);
        }
    }

    /** Sends, for each case, a batch [normal event, poison event] of this user; after a 400, the normal one alone. */
    private void sendCases(String gateway, int user, List<Case> cases) {
        int seq = 0;
        for (Case c : cases) {
            int normalSeq = seq++;
            int poisonSeq = seq++;
            Case sent = new Case(c.id(), c.field(), c.value(), user, poisonSeq);
            String batch = "{\"batch\":[" + normal(user, normalSeq) + "," + poison(sent) + "]}";
            String answer = post(gateway, batch);
            if (answer.startsWith("200")) {
                accepted.put(sent.id(), sent);
                acknowledgedNormal
                        .computeIfAbsent(user, k -> new CopyOnWriteArrayList<>())
                        .add(normalSeq);
            } else if (refused.put(c.id() + " " + c.field() + " " + c.value(), answer) == null
                    && post(gateway, "{\"batch\":[" + normal(user, normalSeq) + "]}")
                            .startsWith("200")) {
                acknowledgedNormal
                        .computeIfAbsent(user, k -> new CopyOnWriteArrayList<>())
                        .add(normalSeq);
            }
        }
    }

    /** Bodies that are not JSON: a raw NUL in a string, invalid UTF-8, an encoded surrogate (CESU-8). */
    private void sendRaw(String gateway) {
        byte[][] bodies = {
            "{\"batch\":[{\"type\":\"track\",\"event\":\"a\0b\",\"userId\":\"raw\"}]}".getBytes(StandardCharsets.UTF_8),
            bytes(
                    "{\"batch\":[{\"type\":\"track\",\"event\":\"",
                    new byte[] {(byte) 0xC3, 0x28},
                    "\",\"userId\":\"raw\"}]}"),
            bytes(
                    "{\"batch\":[{\"type\":\"track\",\"event\":\"",
                    new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                    "\",\"userId\":\"raw\"}]}"),
            bytes(
                    "{\"batch\":[{\"type\":\"track\",\"event\":\"",
                    new byte[] {(byte) 0xFF, (byte) 0xFE},
                    "\",\"userId\":\"raw\"}]}"),
        };
        for (byte[] body : bodies) rawAnswers.add(post(gateway, body));
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] c = after.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(middle, 0, out, a.length, middle.length);
        System.arraycopy(c, 0, out, a.length + middle.length, c.length);
        return out;
    }

    private static String normal(int user, int seq) {
        return """
                {"type":"track","event":"Step","userId":"user-%d","messageId":"n-%d-%d",\
                "properties":{"seq":%d}}""".formatted(user, user, seq, seq);
    }

    /**
     * The poison event: the field's value in place, properties {@code case} and {@code seq}, user {@code user-N}
     * and messageId {@code p<case>.} unless the field is one of those.
     */
    private static String poison(Case c) {
        String fields = FIELDS.get(c.field()).apply(c.id(), c.value());
        String props = "\"case\":\"" + c.id() + "\",\"seq\":" + c.seq();
        StringBuilder event = new StringBuilder("{");
        String body = fields.replace("%P", props)
                .replace("%M", "\"messageId\":\"p" + c.id() + ".")
                .replace("%U", "\"userId\":\"user-" + c.user() + "x")
                .replace("%T", "\"type\":\"track");
        event.append(body);
        if (!fields.contains("%T")) event.append(",\"type\":\"track\"");
        if (!fields.contains("%U"))
            event.append(",\"userId\":\"user-").append(c.user()).append('"');
        if (!fields.contains("%M"))
            event.append(",\"messageId\":\"p").append(c.id()).append(".\"");
        if (!fields.contains("%P"))
            event.append(",\"properties\":{").append(props).append('}');
        return event.append('}').toString();
    }

    /**
     * The sink's answers: an event whose note says {@code fail-once} is answered 500 with a hostile body the
     * first time; one whose note says {@code refuse} is answered 400 with a hostile body (the router aborts it).
     */
    private static final Set<String> FAILED_ONCE = ConcurrentHashMap.newKeySet();

    private static Sink.Reply hostileAnswers(JsonNode event) {
        String caseId = event.path("properties").path("case").asString("");
        byte[] hostile = bytes(
                "{\"error\":\"refused \\u0000 \\ud800 ",
                new byte[] {0, (byte) 0xC3, 0x28, (byte) 0xED, (byte) 0xA0, (byte) 0x80},
                "\"}");
        // two cases per run, chosen among those every user sends: the first two of the properties-value field
        if (caseId.equals(firstCaseOf("properties value", 0))) return new Sink.Reply(400, hostile);
        if (caseId.equals(firstCaseOf("properties value", 1)) && FAILED_ONCE.add(caseId))
            return new Sink.Reply(500, hostile);
        return null;
    }

    /**
     * Where the value of a field is in the delivered event, for the fields delivered as sent (not messageId: the
     * gateway cleans it, as RudderStack does, see gateway-service/README.md).
     */
    private static final Map<String, String> DELIVERED_AT = Map.of(
            "event", "/event",
            "properties value", "/properties/note",
            "context.page.title", "/context/page/title",
            "context.sources.job_run_id", "/context/sources/job_run_id",
            "traits", "/traits/email",
            "userId", "/userId",
            "anonymousId", "/anonymousId",
            "recordId", "/recordId");

    private static String withoutLoneSurrogates(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(ch).append(s.charAt(++i));
            } else out.append(Character.isSurrogate(ch) ? '\ufffd' : ch);
        }
        return out.toString();
    }

    private static String firstCaseOf(String field, int index) {
        int n = 0;
        for (String f : FIELDS.keySet()) {
            if (f.equals(field)) return "c" + (n + index);
            n += VALUES.size();
        }
        throw new IllegalArgumentException(field);
    }

    /** Each accepted case's outcome: delivered, or the gw or rt state with its reason. */
    private Map<String, String> outcomes(Cluster cluster) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (JsonNode e : cluster.sink.accepted) {
            String caseId = e.path("properties").path("case").asString("");
            if (!caseId.isEmpty()) out.put(caseId, "delivered");
        }
        JsonNode recent = getJson(cluster.processors
                .getFirst()
                .url("/api/v1/events/recent?workspaceId=ws-scale&limit=500&sourceId=src-1"));
        for (JsonNode job : recent) {
            String caseId = job.path("payload").path("properties").path("case").asString("");
            String state = job.path("state").asString();
            if (caseId.isEmpty() || out.containsKey(caseId)) continue;
            if (state.equals("aborted") || state.equals("filtered")) {
                assertThat(job.path("errorResponse").size())
                        .as("the reason of " + job)
                        .isPositive();
                out.put(caseId, "gw " + state + " " + job.path("errorResponse"));
            }
        }
        JsonNode failed = getJson(
                cluster.routers.getFirst().url("/api/v1/failed-events?workspaceId=ws-scale&state=aborted&limit=500"));
        for (JsonNode item : failed.path("items")) {
            String messageId = item.path("messageId").asString("");
            for (Case c : accepted.values()) {
                if (!out.containsKey(c.id()) && messageId.startsWith("p" + c.id() + ".")) {
                    assertThat(item.path("errorResponse").size())
                            .as("the reason of " + item)
                            .isPositive();
                    out.put(
                            c.id(),
                            "rt aborted " + item.path("errorCode").asString() + " " + item.path("errorResponse"));
                }
            }
        }
        return out;
    }

    private boolean allNormalDelivered(Sink sink) {
        Set<String> delivered = new HashSet<>();
        for (JsonNode e : sink.accepted) delivered.add(e.path("messageId").asString());
        for (var entry : acknowledgedNormal.entrySet())
            for (int seq : entry.getValue()) if (!delivered.contains("n-" + entry.getKey() + "-" + seq)) return false;
        return true;
    }

    /**
     * Normal events stored once each by the processor, and delivered once each but for router retries after an
     * attempt it saw no answer to ({@link DoubleCheck}); per user, everything delivered (poison included, first
     * arrivals) in the order sent.
     */
    private void assertNormalStoredOnceDeliveredInOrder(Cluster cluster) {
        Set<String> normal = new HashSet<>();
        acknowledgedNormal.forEach((user, seqs) -> seqs.forEach(seq -> normal.add("n-" + user + "-" + seq)));
        DoubleCheck.assertProcessorDoubledNothing(cluster.database, normal.size(), normal, cluster.sink.accepted);
        Set<String> seen = new HashSet<>();
        Map<String, List<Integer>> byUser = new HashMap<>();
        for (JsonNode e : cluster.sink.accepted) {
            // an event with an anonymousId has another user key (anonymousId first): its order is its own
            if (!seen.add(e.path("messageId").asString()) || e.hasNonNull("anonymousId")) continue;
            byUser.computeIfAbsent(e.path("userId").asString(), k -> new ArrayList<>())
                    .add(e.path("properties").path("seq").asInt());
        }
        for (int u = 0; u < USERS; u++)
            assertThat(byUser.get("user-" + u)).as("user-" + u).isSorted();
    }

    private String post(String url, String body) {
        return post(url, body.getBytes(StandardCharsets.UTF_8));
    }

    private String post(String url, byte[] body) {
        String auth = "Basic "
                + Base64.getEncoder().encodeToString((Cluster.WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            String answer = response.statusCode() + " " + response.body();
            gatewayAnswers.add(answer);
            assertThat(response.statusCode()).as(answer).isLessThan(500);
            return answer;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(
                ServiceToken.authorize(HttpRequest.newBuilder(URI.create(url))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }
}
