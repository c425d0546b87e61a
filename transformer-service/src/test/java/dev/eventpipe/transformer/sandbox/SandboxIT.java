package dev.eventpipe.transformer.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.transformer.HttpTestBase;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Runaway scripts fail their own call and leave the service healthy (the ITs run with a 4 s call limit and a
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
     * request is answered 503 (retryable: in the shared transformer heap trouble never fails an event); from then on
     * that version runs in a transformer process of its own (a child JVM, 1 GB here), fills that heap, and its
     * event fails with the reason while the other version's event in the same request is transformed. So a caller
     * that retries 503s for ever (the processor) is held back once, not for ever. The hoard is paced (1.6 MB every
     * 2 ms) so that the guard, not the engine's own out-of-memory RangeError, ends it, which is the case that used
     * to retry for ever.
     */
    @Test
    void aTransformationThatFillsTheHeapOnEveryCallFailsItsOwnEventsInAProcessOfItsOwn() {
        BACKEND.put("v-fine", "export function transformEvent(e) { return e; }");
        BACKEND.put(
                "v-paced-hoard",
                "export function transformEvent(event) {\n"
                        + "const all = [];\n"
                        + "while (true) { all.push(new Float64Array(200000));"
                        + " const t = Date.now() + 2; while (Date.now() < t) {} }\n}");
        String request = "[" + item("bad", "v-paced-hoard", "{\"messageId\":\"bad\",\"event\":\"x\"}") + ","
                + item("good", "v-fine", "{\"messageId\":\"good\",\"event\":\"y\"}") + "]";
        HttpResponse<String> first = post("/customTransform", request);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(503);
        assertThat(json(first).path("detail").asString()).contains("heap is nearly full");

        HttpResponse<String> response = post("/customTransform", request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json(response);
        assertThat(answer).hasSize(2);
        assertThat(answer.get(0).path("metadata").path("messageId").asString()).isEqualTo("bad");
        assertThat(answer.get(0).path("statusCode").asInt()).isEqualTo(400);
        assertThat(answer.get(0).path("error").asString())
                .contains("filled the transformer's heap, and again in a transformer process that runs it alone");
        assertThat(answer.get(1).path("metadata").path("messageId").asString()).isEqualTo("good");
        assertThat(answer.get(1).path("statusCode").asInt()).isEqualTo(200);
        serviceStaysHealthy();
    }

    /**
     * SECURITY.md's former known gap (2): the engine's OutOfMemoryError lands in whichever call asks for memory the heap no
     * longer has, and such a call was judged by what it allocated. Here another version legitimately holds 600 MB
     * of the 1 GB heap for 20 s, and an innocent one, after allocating and dropping 150 MB (more than the blame
     * fraction), builds a 500 MB string: there is no room for it in the shared heap, so the engine fails that call
     * for lack of memory. The request is answered 503 (retried, as the processor does) and the version runs in a
     * process of its own from then on, where the string fits: every one of its events is transformed, none fails.
     * On the old code its events were failed (400) once its strikes sent it "alone" in the same heap.
     */
    @Test
    void anOutOfMemoryErrorInAnInnocentCallNeverFailsItsEvents() {
        BACKEND.put(
                "v-big-holder",
                "export function transformEvent(e) { const held = [];"
                        + " for (let i = 0; i < 75; i++) { held.push(new Float64Array(1000000)); }"
                        + " const end = Date.now() + 20000; while (Date.now() < end) {} e.held = held.length; return e; }");
        BACKEND.put(
                "v-needs-room",
                "export function transformEvent(e) { for (let i = 0; i < 75; i++) { new Float64Array(250000); }"
                        + " const s = 'x'.repeat(500000000); e.length = s.length; return e; }");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        CompletableFuture<HttpResponse<String>> holder = CompletableFuture.supplyAsync(
                () -> post("/customTransform", "[" + item("h", "v-big-holder", "{\"messageId\":\"h\"}") + "]"));
        Awaitility.await("the 600 MB held, or the holder answered")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> memory.getHeapMemoryUsage().getUsed() - baseline > 550L << 20 || holder.isDone());
        int retried = 0;
        HttpResponse<String> response = null;
        for (int attempt = 1; response == null; attempt++) {
            assertThat(attempt).as("answered within 6 attempts").isLessThanOrEqualTo(6);
            HttpResponse<String> tried =
                    post("/customTransform", "[" + item("n", "v-needs-room", "{\"messageId\":\"n\"}") + "]");
            if (tried.statusCode() == 503) {
                retried++;
            } else {
                response = tried;
            }
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json(response);
        assertThat(answer.get(0).path("statusCode").asInt())
                .as(answer.get(0).path("error").asString())
                .isEqualTo(200);
        assertThat(answer.get(0).path("output").path("length").asLong()).isEqualTo(500_000_000L);
        assertThat(holder.join().statusCode()).isIn(200, 503);
        assertThat(retried)
                .as("the innocent call ran out of memory in the shared heap at least once")
                .isPositive();
        serviceStaysHealthy();
    }
}
