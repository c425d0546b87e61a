package dev.eventpipe.transformer.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.transformer.HttpTestBase;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code POST /batch} over HTTP with the AM and WEBHOOK batch modules. */
class BatchTransformIT extends HttpTestBase {
    private static final String AM_CONFIG = """
            {"apiKey": "key-1", "enableBatching": true}""";

    /** One input item: a delivery of job {@code jobId} for user {@code userId} to destination {@code destinationId}. */
    private static String item(long jobId, String userId, String destinationId, String delivery, String config) {
        return """
                {"message": %s,
                 "metadata": {"jobId": %d, "userId": "%s", "workspaceId": "ws-1", "destinationId": "%s"},
                 "destination": {"ID": "%s", "Config": %s, "DestinationDefinition": {"Name": "AM"}}}""".formatted(delivery, jobId, userId, destinationId, destinationId, config);
    }

    /** What /v0/destinations/am answers for one track event, written down. */
    private static String amDelivery(String apiKey, String host, String insertId) {
        return """
                {"version": "1", "type": "REST", "method": "POST", "endpoint": "https://%s/2/httpapi",
                 "headers": {"Content-Type": "application/json"}, "params": {},
                 "body": {"JSON": {"api_key": "%s", "events": [{"user_id": "user-1", "event_type": "Viewed",
                          "insert_id": "%s"}]}, "JSON_ARRAY": {}, "XML": {}, "FORM": {}},
                 "files": {}, "userId": "user-1"}""".formatted(host, apiKey, insertId);
    }

    private static String am(long jobId, String userId, String apiKey) {
        return item(jobId, userId, "dst-am", amDelivery(apiKey, "api2.amplitude.com", "e" + jobId), AM_CONFIG);
    }

    private static String webhookDelivery(String method, String messageId) {
        return """
                {"version": "1", "type": "REST", "method": "%s", "endpoint": "https://sink.example/hook",
                 "headers": {"content-type": "application/json", "x-token": "t"}, "params": {},
                 "body": {"JSON": %s, "JSON_ARRAY": {}, "XML": {}, "FORM": {}}, "files": {}, "userId": "a"}""".formatted(method, method.equals("GET") ? "{}" : "{\"messageId\": \"" + messageId + "\"}");
    }

    private static String webhook(long jobId, String userId, String method) {
        return item(jobId, userId, "dst-hook", webhookDelivery(method, "m" + jobId), "{\"enableBatching\": true}");
    }

    private HttpResponse<String> batch(String destType, String... items) {
        return post("/batch", "{\"destType\": \"%s\", \"input\": [%s]}".formatted(destType, String.join(",", items)));
    }

    private JsonNode answer(String destType, String... items) {
        HttpResponse<String> response = batch(destType, items);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("apiVersion")).hasValue("2");
        return json(response);
    }

    private static List<Long> jobIds(JsonNode element) {
        List<Long> ids = new ArrayList<>();
        element.path("metadata").forEach(m -> ids.add(m.path("jobId").asLong()));
        return ids;
    }

    private static List<String> insertIds(JsonNode batchedRequest) {
        List<String> ids = new ArrayList<>();
        batchedRequest
                .at("/body/JSON/events")
                .forEach(e -> ids.add(e.path("insert_id").asString()));
        return ids;
    }

    @Test
    void amplitudeDeliveriesOfOneProjectBecomeOneBatchApiRequestWithTheEventsInOrder() {
        JsonNode answer = answer("am", am(1, "u1", "key-1"), am(2, "u2", "key-1"), am(3, "u1", "key-1"));
        assertThat(answer).hasSize(1);
        JsonNode element = answer.get(0);
        assertThat(element.path("statusCode").asInt()).isEqualTo(200);
        assertThat(element.path("batched").asBoolean()).isTrue();
        assertThat(jobIds(element)).containsExactly(1L, 2L, 3L);
        assertThat(element.at("/destination/ID").asString()).isEqualTo("dst-am");
        JsonNode request = element.path("batchedRequest");
        assertThat(request.path("endpoint").asString()).isEqualTo("https://api2.amplitude.com/batch");
        assertThat(request.path("method").asString()).isEqualTo("POST");
        assertThat(request.at("/headers/Content-Type").asString()).isEqualTo("application/json");
        assertThat(request.at("/body/JSON/api_key").asString()).isEqualTo("key-1");
        assertThat(insertIds(request)).containsExactly("e1", "e2", "e3");
        assertThat(request.path("userId").asString()).isEmpty();
        assertThat(request.path("version").asString()).isEqualTo("1");
    }

    @Test
    void euResidencyDeliveriesGoToTheEuBatchEndpoint() {
        String eu = item(1, "u1", "dst-am", amDelivery("key-1", "api.eu.amplitude.com", "e1"), AM_CONFIG);
        JsonNode answer = answer("AM", eu, am(2, "u2", "key-1"));
        assertThat(answer).hasSize(2);
        assertThat(answer.get(0).at("/batchedRequest/endpoint").asString())
                .isEqualTo("https://api.eu.amplitude.com/batch");
        assertThat(answer.get(1).at("/batchedRequest/endpoint").asString())
                .isEqualTo("https://api2.amplitude.com/batch");
    }

    @Test
    void whatTheAmplitudeTransformerProducesCanBeBatched() {
        String event = """
                [{"message": {"type": "track", "event": "Viewed", "userId": "user-1", "messageId": "m-%d",
                  "timestamp": "2024-01-01T00:00:00.000Z"},
                  "metadata": {"messageId": "m-%1$d"}, "destination": {"ID": "dst-am", "Config": %s}}]""";
        JsonNode one = json(post("/v0/destinations/am", event.formatted(1, AM_CONFIG)));
        JsonNode two = json(post("/v0/destinations/am", event.formatted(2, AM_CONFIG)));
        JsonNode answer = answer(
                "am",
                item(1, "u1", "dst-am", JSON.writeValueAsString(one.get(0).get("output")), AM_CONFIG),
                item(2, "u1", "dst-am", JSON.writeValueAsString(two.get(0).get("output")), AM_CONFIG));
        assertThat(answer).hasSize(1);
        assertThat(insertIds(answer.get(0).path("batchedRequest"))).containsExactly("m-1", "m-2");
    }

    @Test
    void deliveriesOfDifferentApiKeysAreSeparateRequests() {
        JsonNode answer = answer("am", am(1, "u1", "key-1"), am(2, "u2", "key-2"), am(3, "u3", "key-1"));
        assertThat(answer).hasSize(2);
        assertThat(jobIds(answer.get(0))).containsExactly(1L, 3L);
        assertThat(answer.get(0).at("/batchedRequest/body/JSON/api_key").asString())
                .isEqualTo("key-1");
        assertThat(jobIds(answer.get(1))).containsExactly(2L);
        assertThat(answer.get(1).at("/batchedRequest/body/JSON/api_key").asString())
                .isEqualTo("key-2");
    }

    @Test
    void maxBatchSizeSplitsTheRequests() {
        String config = "{\"apiKey\": \"key-1\", \"enableBatching\": true, \"maxBatchSize\": 2}";
        List<String> items = new ArrayList<>();
        for (long job = 1; job <= 5; job++) {
            items.add(item(job, "u" + job, "dst-am", amDelivery("key-1", "api2.amplitude.com", "e" + job), config));
        }
        JsonNode answer = answer("am", items.toArray(String[]::new));
        assertThat(answer).hasSize(3);
        assertThat(jobIds(answer.get(0))).containsExactly(1L, 2L);
        assertThat(jobIds(answer.get(1))).containsExactly(3L, 4L);
        assertThat(jobIds(answer.get(2))).containsExactly(5L);
        assertThat(insertIds(answer.get(1).path("batchedRequest"))).containsExactly("e3", "e4");
    }

    @Test
    void aUsersLaterEventNeverJoinsARequestSentBeforeOneHoldingItsEarlierEvent() {
        // u1 sends to key A, then B, then A again: the third must not ride in the first request (sent before B)
        JsonNode answer = answer(
                "am",
                am(1, "u1", "key-A"),
                am(2, "u2", "key-A"),
                am(3, "u1", "key-B"),
                am(4, "u1", "key-A"),
                am(5, "u2", "key-A"),
                am(6, "u3", "key-B"));
        assertOrderSafe(answer, Map.of(1L, "u1", 2L, "u2", 3L, "u1", 4L, "u1", 5L, "u2", 6L, "u3"));
        assertThat(jobIds(answer.get(0))).containsExactly(1L, 2L);
        assertThat(jobIds(answer.get(1))).containsExactly(3L, 6L);
        assertThat(jobIds(answer.get(2))).containsExactly(4L, 5L);
    }

    @Test
    void itemsOfDifferentDestinationsAreNeverCombined() {
        String other = item(2, "u2", "dst-other", amDelivery("key-1", "api2.amplitude.com", "e2"), AM_CONFIG);
        JsonNode answer = answer("am", am(1, "u1", "key-1"), other, am(3, "u3", "key-1"));
        assertThat(answer).hasSize(2);
        assertThat(jobIds(answer.get(0))).containsExactly(1L, 3L);
        assertThat(jobIds(answer.get(1))).containsExactly(2L);
        assertThat(answer.get(1).at("/destination/ID").asString()).isEqualTo("dst-other");
    }

    @Test
    void aDeliveryWithoutAnEventsArrayIsAnsweredAloneWith400() {
        String broken = item(2, "u2", "dst-am", """
                {"version": "1", "type": "REST", "method": "POST", "endpoint": "https://api2.amplitude.com/2/httpapi",
                 "body": {"JSON": {"api_key": "key-1", "events": "no"}}}""", AM_CONFIG);
        JsonNode answer = answer("am", am(1, "u1", "key-1"), broken, am(3, "u3", "key-1"));
        assertOrderSafe(answer, Map.of(1L, "u1", 2L, "u2", 3L, "u3"));
        JsonNode failed = elementOf(answer, 2L);
        assertThat(failed.path("statusCode").asInt()).isEqualTo(400);
        assertThat(failed.path("batched").asBoolean(true)).isFalse();
        assertThat(failed.path("error").asString()).contains("events array");
        assertThat(jobIds(failed)).containsExactly(2L);
        assertThat(jobIds(elementOf(answer, 1L))).containsExactly(1L, 3L);
    }

    @Test
    void webhookDeliveriesBecomeOneJsonArrayOfTheirBodies() {
        JsonNode answer = answer("webhook", webhook(1, "u1", "POST"), webhook(2, "u2", "POST"));
        assertThat(answer).hasSize(1);
        JsonNode request = answer.get(0).path("batchedRequest");
        assertThat(request.path("method").asString()).isEqualTo("POST");
        assertThat(request.path("endpoint").asString()).isEqualTo("https://sink.example/hook");
        assertThat(request.at("/headers/x-token").asString()).isEqualTo("t");
        assertThat(request.at("/body/JSON").isEmpty()).isTrue();
        JsonNode array = JSON.readTree(request.at("/body/JSON_ARRAY/batch").asString());
        assertThat(array).hasSize(2);
        assertThat(array.get(0).path("messageId").asString()).isEqualTo("m1");
        assertThat(array.get(1).path("messageId").asString()).isEqualTo("m2");
    }

    @Test
    void webhookDeliveriesWithDifferentMethodsAreSeparateRequests() {
        JsonNode answer = answer("webhook", webhook(1, "u1", "POST"), webhook(2, "u2", "PUT"));
        assertThat(answer).hasSize(2);
        assertThat(answer.get(1).at("/batchedRequest/method").asString()).isEqualTo("PUT");
    }

    @Test
    void aWebhookGetDeliveryCannotBeBatched() {
        JsonNode answer = answer("WEBHOOK", webhook(1, "u1", "GET"), webhook(2, "u2", "POST"));
        assertThat(answer).hasSize(2);
        JsonNode failed = elementOf(answer, 1L);
        assertThat(failed.path("statusCode").asInt()).isEqualTo(400);
        assertThat(failed.path("error").asString()).contains("GET").contains("cannot be batched");
        assertThat(elementOf(answer, 2L).path("statusCode").asInt()).isEqualTo(200);
    }

    @Test
    void aDestinationTypeWithoutBatchingFailsEveryItemAlone() {
        JsonNode answer = answer("mp", am(1, "u1", "key-1"), am(2, "u2", "key-1"));
        assertThat(answer).hasSize(2);
        for (JsonNode element : answer) {
            assertThat(element.path("statusCode").asInt()).isEqualTo(400);
            assertThat(element.path("batched").asBoolean(true)).isFalse();
            assertThat(element.path("error").asString()).isEqualTo("Destination MP does not support batching");
            assertThat(element.path("metadata")).hasSize(1);
        }
        assertThat(jobIds(answer.get(0))).containsExactly(1L);
        assertThat(json(batch("nosuch", am(1, "u1", "key-1"))).at("/0/error").asString())
                .isEqualTo("Destination NOSUCH is not supported");
    }

    @Test
    void aMalformedRequestIsRefusedWith400() {
        assertProblem(post("/batch", "[]"), "JSON object");
        assertProblem(post("/batch", "{\"input\": []}"), "destType is required");
        assertProblem(post("/batch", "{\"destType\": \"am\", \"input\": {}}"), "input must be an array");
        assertProblem(post("/batch", "{\"destType\": \"am\", \"input\": [1]}"), "input[0]");
        assertProblem(post("/batch", "{\"destType\": "), "not JSON");
    }

    @Test
    void anEmptyInputGetsAnEmptyAnswer() {
        assertThat(answer("am")).isEmpty();
    }

    @Test
    void featuresDeclareBatchingForAmplitudeAndWebhook() {
        JsonNode destinations = json(get("/features")).path("destinations");
        assertThat(destinations.at("/AM/batching").asBoolean()).isTrue();
        assertThat(destinations.at("/WEBHOOK/batching").asBoolean()).isTrue();
        assertThat(destinations.at("/MP/batching").asBoolean(true)).isFalse();
    }

    private static void assertProblem(HttpResponse<String> response, String detail) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("detail").asString()).contains(detail);
    }

    private static JsonNode elementOf(JsonNode answer, long jobId) {
        for (JsonNode element : answer) {
            if (jobIds(element).contains(jobId)) return element;
        }
        throw new AssertionError("job " + jobId + " is in no element");
    }

    /** Every job in exactly one element, and each user's jobs in non-decreasing element order. */
    private static void assertOrderSafe(JsonNode answer, Map<Long, String> userOfJob) {
        Map<Long, Integer> elementOfJob = new LinkedHashMap<>();
        for (int e = 0; e < answer.size(); e++) {
            for (long job : jobIds(answer.get(e))) {
                assertThat(elementOfJob.put(job, e))
                        .as("job %d answered twice", job)
                        .isNull();
            }
        }
        assertThat(elementOfJob.keySet()).containsExactlyInAnyOrderElementsOf(userOfJob.keySet());
        Map<String, Integer> lastElementOfUser = new HashMap<>();
        userOfJob.keySet().stream().sorted().forEach(job -> {
            String user = userOfJob.get(job);
            int element = elementOfJob.get(job);
            assertThat(element)
                    .as("job %d of %s", job, user)
                    .isGreaterThanOrEqualTo(lastElementOfUser.getOrDefault(user, 0));
            lastElementOfUser.put(user, element);
        });
    }
}
