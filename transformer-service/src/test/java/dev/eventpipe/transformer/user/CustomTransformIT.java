package dev.eventpipe.transformer.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.transformer.HttpTestBase;
import dev.eventpipe.transformer.StubConfigBackend;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CustomTransformIT extends HttpTestBase {

    private HttpResponse<String> transform(String... items) {
        return post("/customTransform", "[" + String.join(",", items) + "]", "X-Feature-Filter-Code", "?1");
    }

    @Test
    void aReturnedObjectBecomesTheOutputWithTheInputMetadataAndApiVersionTwo() {
        BACKEND.put("v-object", """
                export function transformEvent(event, metadata) {
                  event.properties.source = metadata(event).sourceId;
                  return event;
                }""");
        HttpResponse<String> response =
                transform(item("m1", "v-object", "{\"messageId\":\"m1\",\"event\":\"Buy\",\"properties\":{}}"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("apiVersion")).hasValue("2");
        JsonNode answer = json(response);
        assertThat(answer).hasSize(1);
        assertThat(answer.get(0).path("statusCode").asInt()).isEqualTo(200);
        assertThat(answer.get(0)
                        .path("output")
                        .path("properties")
                        .path("source")
                        .asString())
                .isEqualTo("src-1");
        assertThat(answer.get(0).path("metadata").path("messageId").asString()).isEqualTo("m1");
        assertThat(answer.get(0).path("metadata").path("jobId").asInt()).isEqualTo(7);
    }

    @Test
    void aReturnedArrayFansOutIntoOneOutputPerElementWithTheSameMetadata() {
        BACKEND.put("v-array", """
                export function transformEvent(event) {
                  return [{...event, event: 'first'}, {...event, event: 'second'}];
                }""");
        JsonNode answer = json(transform(item("m1", "v-array", "{\"messageId\":\"m1\",\"event\":\"x\"}")));
        assertThat(answer).hasSize(2);
        assertThat(answer.get(0).path("output").path("event").asString()).isEqualTo("first");
        assertThat(answer.get(1).path("output").path("event").asString()).isEqualTo("second");
        assertThat(answer.get(1).path("metadata").path("messageId").asString()).isEqualTo("m1");
    }

    @Test
    void aDroppedEventIsAnsweredWith298OnlyWhenTheFilterCodeHeaderIsSent() {
        BACKEND.put("v-drop", """
                export function transformEvent(event) {
                  return event.event === 'drop me' ? null : event;
                }""");
        String body = "[" + item("m1", "v-drop", "{\"messageId\":\"m1\",\"event\":\"drop me\"}") + ","
                + item("m2", "v-drop", "{\"messageId\":\"m2\",\"event\":\"keep\"}") + "]";
        JsonNode withHeader = json(post("/customTransform", body, "X-Feature-Filter-Code", "?1"));
        assertThat(withHeader).hasSize(2);
        assertThat(withHeader.get(0).path("statusCode").asInt()).isEqualTo(298);
        assertThat(withHeader.get(0).path("metadata").path("messageId").asString())
                .isEqualTo("m1");
        assertThat(withHeader.get(0).has("output")).isFalse();
        assertThat(withHeader.get(1).path("statusCode").asInt()).isEqualTo(200);

        JsonNode withoutHeader = json(post("/customTransform", body));
        assertThat(withoutHeader).hasSize(1);
        assertThat(withoutHeader.get(0).path("metadata").path("messageId").asString())
                .isEqualTo("m2");
    }

    @Test
    void aThrownErrorFailsOnlyItsOwnEventWithTheMessage() {
        BACKEND.put("v-throw", """
                export function transformEvent(event) {
                  if (event.event === 'bad') throw new Error('no bad events please');
                  return event;
                }""");
        JsonNode answer = json(transform(
                item("m1", "v-throw", "{\"messageId\":\"m1\",\"event\":\"bad\"}"),
                item("m2", "v-throw", "{\"messageId\":\"m2\",\"event\":\"good\"}")));
        assertThat(answer).hasSize(2);
        assertThat(answer.get(0).path("statusCode").asInt()).isEqualTo(400);
        assertThat(answer.get(0).path("error").asString()).contains("no bad events please");
        assertThat(answer.get(0).path("metadata").path("messageId").asString()).isEqualTo("m1");
        assertThat(answer.get(1).path("statusCode").asInt()).isEqualTo(200);
    }

    @Test
    void anEventWithANumberPastTheDoubleRangeFailsAloneWith400() {
        // stored before the gateway refused such integers (review 1330 P1-1): it used to fail the whole request
        BACKEND.put("v-huge", "export function transformEvent(event) { return event; }");
        HttpResponse<String> response = transform(
                item("m1", "v-huge", "{\"messageId\":\"m1\",\"n\":1" + "0".repeat(350) + "}"),
                item("m2", "v-huge", "{\"messageId\":\"m2\",\"n\":2}"));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = json(response);
        assertThat(answer).hasSize(2);
        assertThat(answer.get(0).path("statusCode").asInt()).isEqualTo(400);
        assertThat(answer.get(0).path("error").asString()).contains("number out of range");
        assertThat(answer.get(0).path("metadata").path("messageId").asString()).isEqualTo("m1");
        assertThat(answer.get(1).path("statusCode").asInt()).isEqualTo(200);
        assertThat(answer.get(1).path("output").path("n").asInt()).isEqualTo(2);
    }

    @Test
    void aReturnedValueThatIsNotAnObjectFailsTheEvent() {
        BACKEND.put("v-number", "export function transformEvent(event) { return 42; }");
        JsonNode answer = json(transform(item("m1", "v-number", "{\"messageId\":\"m1\"}")));
        assertThat(answer.get(0).path("statusCode").asInt()).isEqualTo(400);
        assertThat(answer.get(0).path("error").asString())
                .isEqualTo("returned event from transformEvent(event) is not an object");
    }

    @Test
    void transformBatchGetsAllEventsAndItsOutputsKeepTheirMetadataByMessageId() {
        BACKEND.put("v-batch", """
                export function transformBatch(events, metadata) {
                  return events.filter(e => e.event !== 'skip')
                               .map(e => ({...e, job: metadata(e).jobId, n: events.length}));
                }""");
        JsonNode answer = json(transform(
                item("m1", "v-batch", "{\"messageId\":\"m1\",\"event\":\"a\"}"),
                item("m2", "v-batch", "{\"messageId\":\"m2\",\"event\":\"skip\"}"),
                item("m3", "v-batch", "{\"messageId\":\"m3\",\"event\":\"c\"}")));
        assertThat(answer).hasSize(3);
        assertThat(answer.get(0).path("output").path("n").asInt()).isEqualTo(3);
        assertThat(answer.get(0).path("output").path("job").asInt()).isEqualTo(7);
        assertThat(answer.get(0).path("metadata").path("messageId").asString()).isEqualTo("m1");
        assertThat(answer.get(1).path("statusCode").asInt()).isEqualTo(298);
        assertThat(answer.get(1).path("metadata").path("messageId").asString()).isEqualTo("m2");
        assertThat(answer.get(2).path("metadata").path("messageId").asString()).isEqualTo("m3");
    }

    @Test
    void codeIsFetchedOnceByVersionIdWithTheWorkspaceToken() {
        BACKEND.put("v-once", "export function transformEvent(e) { return e; }");
        transform(item("m1", "v-once", "{\"messageId\":\"m1\"}"));
        transform(item("m2", "v-once", "{\"messageId\":\"m2\"}"));
        assertThat(BACKEND.fetches("v-once")).isEqualTo(1);
        String basic = "Basic "
                + Base64.getEncoder().encodeToString((StubConfigBackend.TOKEN + ":").getBytes(StandardCharsets.UTF_8));
        assertThat(BACKEND.authorizations()).contains(basic);
    }

    @Test
    void aConfigBackendFailureAnswers809SoTheProcessorRetries() {
        BACKEND.put("v-down", "export function transformEvent(e) { return e; }");
        BACKEND.failWith("v-down", 503);
        assertThat(transform(item("m1", "v-down", "{\"messageId\":\"m1\"}")).statusCode())
                .isEqualTo(809);
        BACKEND.heal("v-down");
        assertThat(transform(item("m1", "v-down", "{\"messageId\":\"m1\"}")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void anUnknownVersionFailsItsEventsWith400() {
        JsonNode answer = json(transform(item("m1", "v-nowhere", "{\"messageId\":\"m1\"}")));
        assertThat(answer.get(0).path("statusCode").asInt()).isEqualTo(400);
        assertThat(answer.get(0).path("error").asString()).contains("v-nowhere");
    }

    @Test
    void anEventWithoutVersionIdFailsWithRudderTransformersMessage() {
        String noVersion = """
                {"message": {"messageId": "m1"}, "metadata": {"messageId": "m1"}, "destination": {}}""";
        JsonNode answer = json(transform(noVersion));
        assertThat(answer.get(0).path("statusCode").asInt()).isEqualTo(400);
        assertThat(answer.get(0).path("error").asString()).isEqualTo("Transformation VersionID not found");
    }

    @Test
    void codeSentInlineIsIgnoredOnlyTheConfigBackendsCodeOfTheVersionRuns() {
        BACKEND.put("inline-1", "export function transformEvent(e) { e.stored = true; return e; }");
        String inline = """
                {"message": {"messageId": "m1", "event": "x"}, "metadata": {"messageId": "m1"},
                 "destination": {"Transformations": [{"VersionID": "inline-1",
                   "code": "export function transformEvent(e) { e.inline = true; return e; }"}]}}""";
        JsonNode answer = json(transform(inline));
        assertThat(answer.get(0).path("output").path("inline").isMissingNode()).isTrue();
        assertThat(answer.get(0).path("output").path("stored").asBoolean()).isTrue();
        assertThat(BACKEND.fetches("inline-1")).isPositive();
    }

    @Test
    void aSyntaxErrorFailsEveryEventOfThatVersionWithTheMessage() {
        BACKEND.put("v-syntax", "export function transformEvent(e) { return e; ");
        JsonNode answer = json(transform(
                item("m1", "v-syntax", "{\"messageId\":\"m1\"}"), item("m2", "v-syntax", "{\"messageId\":\"m2\"}")));
        assertThat(answer).hasSize(2);
        assertThat(answer.get(0).path("statusCode").asInt()).isEqualTo(400);
        assertThat(answer.get(0).path("error").asString()).containsIgnoringCase("SyntaxError");
    }
}
