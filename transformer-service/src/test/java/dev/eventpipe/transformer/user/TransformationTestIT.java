package dev.eventpipe.transformer.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.transformer.HttpTestBase;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TransformationTestIT extends HttpTestBase {

    private HttpResponse<String> test(String code, String events) {
        return post(
                "/transformation/test",
                JSON.writeValueAsString(
                        Map.of("code", code, "events", JSON.readTree(events), "language", "javascript")));
    }

    @Test
    void outputsErrorsAndLogLinesComeBackTogether() {
        HttpResponse<String> response = test("""
                export function transformEvent(event, metadata) {
                  log('saw', event.event, {n: 1});
                  console.log('via console', metadata(event).messageId);
                  if (event.event === 'bad') throw new Error('bad event');
                  if (event.event === 'drop') return null;
                  return [event, {...event, copy: true}];
                }""", """
                [{"messageId": "a", "event": "ok"}, {"messageId": "b", "event": "bad"},
                 {"messageId": "c", "event": "drop"}]""");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode run = json(response);
        assertThat(run.path("outputs")).hasSize(2);
        assertThat(run.path("outputs").get(1).path("copy").asBoolean()).isTrue();
        assertThat(run.path("errors")).hasSize(1);
        assertThat(run.path("errors").get(0).path("index").asInt()).isEqualTo(1);
        assertThat(run.path("errors").get(0).path("messageId").asString()).isEqualTo("b");
        assertThat(run.path("errors").get(0).path("error").asString()).contains("bad event");
        assertThat(run.path("logs").get(0).asString()).isEqualTo("saw ok {\"n\":1}");
        assertThat(run.path("logs").get(1).asString()).isEqualTo("via console a");
        assertThat(run.path("logs")).hasSize(6);
        assertThat(run.path("durationMs").isNumber()).isTrue();
    }

    @Test
    void codeThatDoesNotLoadIsOneErrorWithIndexMinusOne() {
        JsonNode run = json(test("export function somethingElse() {}", "[{\"messageId\": \"a\"}]"));
        assertThat(run.path("outputs")).isEmpty();
        assertThat(run.path("errors").get(0).path("index").asInt()).isEqualTo(-1);
        assertThat(run.path("errors").get(0).path("error").asString())
                .contains("Expected one of transformEvent,transformBatch");
    }

    @Test
    void transformBatchIsTestedToo() {
        JsonNode run = json(test(
                "export function transformBatch(events) { return events.map(e => ({...e, size: events.length})); }",
                "[{\"messageId\": \"a\"}, {\"messageId\": \"b\"}]"));
        assertThat(run.path("outputs")).hasSize(2);
        assertThat(run.path("outputs").get(0).path("size").asInt()).isEqualTo(2);
    }

    @Test
    void aRequestWithoutCodeIsABadRequest() {
        assertThat(post("/transformation/test", "{\"events\": [{}]}").statusCode())
                .isEqualTo(400);
    }
}
