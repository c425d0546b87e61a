package dev.eventpipe.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.model.config.Source;
import dev.eventpipe.model.config.SourceDefinition;
import dev.eventpipe.model.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JobFactoryTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:15:30.123456Z");
    private final BatchParser parser = new BatchParser(EventJson.mapper(64), false);
    private final JobFactory factory = new JobFactory(EventJson.mapper(64));
    private final Source source = new Source(
            "src-1",
            null,
            "web",
            "wk-1",
            true,
            "ws-1",
            Map.of(),
            new SourceDefinition("def", "Javascript", "", null),
            List.of(),
            false);
    private final RequestMeta meta = new RequestMeta("hdr", "10.0.0.1", "", "", "00-trace-01");

    private List<NewJob> jobs(String body, String type) {
        Parsed parsed = parser.parse(body.getBytes(StandardCharsets.UTF_8), type);
        return factory.jobs(source, meta, ((Parsed.Events) parsed).events(), NOW);
    }

    @Test
    void oneJobPerEventWithRudderStacksPayloadKeyAndParameters() {
        List<NewJob> jobs = jobs(
                "{\"batch\":[{\"userId\":\"identified_user_id\",\"anonymousId\":\"anonymousId_1\",\"type\":\"identify\"},"
                        + "{\"userId\":\"u2\",\"type\":\"track\",\"event\":\"e\",\"messageId\":\" m-2 \"}]}",
                null);
        assertThat(jobs).hasSize(2);
        NewJob first = jobs.getFirst();
        assertThat(first.userId()).isEqualTo("hdr<<>>anonymousId_1<<>>identified_user_id");
        assertThat(jobs.get(1).userId()).isEqualTo("hdr<<>>u2<<>>u2");
        assertThat(first.customVal()).isEqualTo("GW");
        assertThat(first.workspaceId()).isEqualTo("ws-1");
        JsonNode parameters = Json.mapper().readTree(first.parameters());
        assertThat(parameters.propertyNames())
                .containsExactlyInAnyOrder(
                        "source_id", "source_job_run_id", "source_task_run_id", "traceparent", "source_category");
        assertThat(parameters.get("source_id").stringValue()).isEqualTo("src-1");
        assertThat(parameters.get("source_job_run_id").stringValue()).isEmpty();
        assertThat(parameters.get("traceparent").stringValue()).isEqualTo("00-trace-01");
        assertThat(parameters.get("source_category").stringValue()).isEqualTo("eventStream");
        JsonNode payload = Json.mapper().readTree(first.payload());
        assertThat(payload.propertyNames()).containsExactly("batch", "requestIP", "writeKey", "receivedAt");
        assertThat(payload.get("requestIP").stringValue()).isEqualTo("10.0.0.1");
        assertThat(payload.get("writeKey").stringValue()).isEqualTo("wk-1");
        assertThat(payload.get("receivedAt").stringValue()).isEqualTo("2026-11-26T10:15:30.123Z");
        JsonNode event = payload.get("batch").get(0);
        assertThat(event.get("rudderId").stringValue()).isEqualTo("e4cab80e-2f0e-4fa2-87e0-3a4af182634c");
        assertThat(event.get("request_ip").stringValue()).isEqualTo("10.0.0.1");
        assertThat(event.get("receivedAt").stringValue()).isEqualTo("2026-11-26T10:15:30.123Z");
        assertThat(event.get("messageId").stringValue()).hasSize(36);
        JsonNode second =
                Json.mapper().readTree(jobs.get(1).payload()).get("batch").get(0);
        assertThat(second.get("messageId").stringValue()).isEqualTo("m-2");
    }

    @Test
    void anEventsOwnReceivedAtAndRequestIpWin() {
        NewJob job = jobs(
                        "{\"anonymousId\":\"a\",\"receivedAt\":\"2020-01-01T00:00:00.000Z\",\"request_ip\":\"9.9.9.9\"}",
                        "track")
                .getFirst();
        JsonNode payload = Json.mapper().readTree(job.payload());
        assertThat(payload.get("requestIP").stringValue()).isEqualTo("9.9.9.9");
        assertThat(payload.get("receivedAt").stringValue()).isEqualTo("2026-11-26T10:15:30.123Z");
        assertThat(payload.get("batch").get(0).get("receivedAt").stringValue()).isEqualTo("2020-01-01T00:00:00.000Z");
    }

    @Test
    void aNulCharacterIsKeptAsItsJsonEscape() {
        NewJob job =
                jobs("{\"anonymousId\":\"a\",\"event\":\"x\\u0000y\"}", "track").getFirst();
        assertThat(job.payload()).contains("\"event\":\"x\\u0000y\"");
    }

    @Test
    void jobRunIdsComeFromTheFirstEventsContextOverTheHeaders() {
        NewJob job = jobs(
                        "{\"batch\":[{\"type\":\"extract\",\"context\":{\"sources\":{\"job_run_id\":\"j1\",\"task_run_id\":\"t1\"}}}]}",
                        null)
                .getFirst();
        assertThat(job.parameters()).contains("\"source_job_run_id\":\"j1\"").contains("\"source_task_run_id\":\"t1\"");
    }
}
