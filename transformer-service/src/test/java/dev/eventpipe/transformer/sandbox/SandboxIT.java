package dev.eventpipe.transformer.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.transformer.HttpTestBase;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Runaway scripts fail their own call and leave the service healthy (the ITs run with a 1.5 s call limit and a
 * 1 GB heap, see HttpTestBase and the failsafe configuration).
 */
class SandboxIT extends HttpTestBase {

    private JsonNode runaway(String versionId, String body) {
        BACKEND.put(versionId, "export function transformEvent(event) {\n" + body + "\n}");
        JsonNode answer = json(post(
                "/customTransform",
                "[" + item("bad", versionId, "{\"messageId\":\"bad\",\"event\":\"x\"}") + ","
                        + item("good", "v-fine", "{\"messageId\":\"good\",\"event\":\"y\"}") + "]"));
        assertThat(answer).hasSize(2);
        assertThat(answer.get(1).path("statusCode").asInt()).isEqualTo(200);
        assertThat(answer.get(1).path("metadata").path("messageId").asString()).isEqualTo("good");
        assertThat(answer.get(0).path("statusCode").asInt()).isEqualTo(400);
        assertThat(answer.get(0).path("metadata").path("messageId").asString()).isEqualTo("bad");
        return answer.get(0);
    }

    private void serviceStaysHealthy() {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        BACKEND.put("v-after", "export function transformEvent(e) { e.after = true; return e; }");
        JsonNode answer = json(post("/customTransform", "[" + item("m", "v-after", "{\"messageId\":\"m\"}") + "]"));
        assertThat(answer.get(0).path("output").path("after").asBoolean()).isTrue();
    }

    @Test
    void anEndlessLoopTimesOutWithoutTouchingOtherEvents() {
        BACKEND.put("v-fine", "export function transformEvent(e) { return e; }");
        JsonNode failed = runaway("v-loop", "while (true) {}");
        assertThat(failed.path("error").asString()).contains("timed out");
        serviceStaysHealthy();
    }

    @Test
    void anEndlessLoopThatCatchesTheInterruptStillStops() {
        BACKEND.put("v-fine", "export function transformEvent(e) { return e; }");
        JsonNode failed = runaway("v-stubborn", "for (;;) { try { while (true) {} } catch (e) {} }");
        assertThat(failed.path("error").asString()).isNotBlank();
        serviceStaysHealthy();
    }

    @Test
    void deepRecursionFailsWithARangeError() {
        BACKEND.put("v-fine", "export function transformEvent(e) { return e; }");
        JsonNode failed = runaway("v-recursion", "const f = n => f(n + 1) + 1; return f(0);");
        assertThat(failed.path("error").asString()).contains("RangeError");
        serviceStaysHealthy();
    }

    @Test
    void aHugeOneShotAllocationFailsThatCall() {
        BACKEND.put("v-fine", "export function transformEvent(e) { return e; }");
        JsonNode failed = runaway("v-huge-string", "return {s: 'x'.repeat(2 ** 31)};");
        assertThat(failed.path("error").asString()).isNotBlank();
        serviceStaysHealthy();
    }

    /**
     * Three answers are right here, and which one comes depends on how fast the heap fills against the watchdog's
     * scan: the engine refuses an array the heap cannot hold (a RangeError: that call fails, the other event is
     * transformed), the heap guard stops the call first (the heap is nearly full), or, on a machine so busy that the
     * watchdog's 20 ms pass does not run in time, the script's own thread runs out of heap ("ran out of resources":
     * a memory stop). The last two answer the whole request 503, retryable, and fail no event for it. All three keep
     * the innocent event, and the service stays healthy; anything else (a 500, the good event failed, a 503 for any
     * other reason, a dead service) fails the test. (Seen on 2026-11-30 at load average 7-11: the third answer, once
     * in two runs.)
     */
    @Test
    void aFastGrowingHoardOfLargeArraysFailsThatCallOrTheRequestRetryably() {
        BACKEND.put("v-fine", "export function transformEvent(e) { return e; }");
        BACKEND.put(
                "v-typed-hoard",
                "export function transformEvent(event) {\n"
                        + "const all = []; while (true) { all.push(new Float64Array(10000000)); }\n}");
        HttpResponse<String> response = post(
                "/customTransform",
                "[" + item("bad", "v-typed-hoard", "{\"messageId\":\"bad\",\"event\":\"x\"}") + ","
                        + item("good", "v-fine", "{\"messageId\":\"good\",\"event\":\"y\"}") + "]");
        JsonNode answer = json(response);
        if (response.statusCode() == 503) {
            assertThat(answer.path("detail").asString()).containsAnyOf("heap is nearly full", "ran out of resources");
        } else {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(answer).hasSize(2);
            assertThat(answer.get(1).path("statusCode").asInt()).isEqualTo(200);
            assertThat(answer.get(1).path("metadata").path("messageId").asString())
                    .isEqualTo("good");
            assertThat(answer.get(0).path("statusCode").asInt()).isEqualTo(400);
            assertThat(answer.get(0).path("error").asString()).isNotBlank();
        }
        serviceStaysHealthy();
    }

    /**
     * Issue 14: a transformation that fills the (real, 1 GB) heap on every call. The heap guard stops it, and the
     * request is answered 503 (retryable: the guard cannot tell at once whose code it was), three requests in a
     * row; from then on that version runs alone, fills the heap once more, and its event fails with the reason
     * while the other version's event in the same request is transformed. So a caller that retries 503s for ever
     * (the processor) is held back three times, not for ever. The hoard is paced (1.6 MB every 2 ms) so that the
     * guard, not the engine's own out-of-memory RangeError, ends it, which is the case that used to retry for ever.
     */
    @Test
    void aTransformationThatFillsTheHeapOnEveryCallFailsItsOwnEventsAfterThreeRetryableAnswers() {
        BACKEND.put("v-fine", "export function transformEvent(e) { return e; }");
        BACKEND.put(
                "v-paced-hoard",
                "export function transformEvent(event) {\n"
                        + "const all = [];\n"
                        + "while (true) { all.push(new Float64Array(200000));"
                        + " const t = Date.now() + 2; while (Date.now() < t) {} }\n}");
        String request = "[" + item("bad", "v-paced-hoard", "{\"messageId\":\"bad\",\"event\":\"x\"}") + ","
                + item("good", "v-fine", "{\"messageId\":\"good\",\"event\":\"y\"}") + "]";
        for (int strike = 1; strike <= 3; strike++) {
            HttpResponse<String> response = post("/customTransform", request);
            assertThat(response.statusCode())
                    .as("request %d: %s", strike, response.body())
                    .isEqualTo(503);
            assertThat(json(response).path("detail").asString()).contains("heap is nearly full");
        }
        HttpResponse<String> response = post("/customTransform", request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json(response);
        assertThat(answer).hasSize(2);
        assertThat(answer.get(0).path("metadata").path("messageId").asString()).isEqualTo("bad");
        assertThat(answer.get(0).path("statusCode").asInt()).isEqualTo(400);
        assertThat(answer.get(0).path("error").asString())
                .contains("filled the transformer's heap in 3 requests in a row and again when run alone");
        assertThat(answer.get(1).path("metadata").path("messageId").asString()).isEqualTo("good");
        assertThat(answer.get(1).path("statusCode").asInt()).isEqualTo(200);
        serviceStaysHealthy();
    }
}
