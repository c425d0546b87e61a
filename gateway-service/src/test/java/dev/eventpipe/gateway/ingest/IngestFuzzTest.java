package dev.eventpipe.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.eventpipe.jobsdb.JsonbText;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.model.config.Source;
import dev.eventpipe.model.config.SourceDefinition;
import dev.eventpipe.model.json.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Jazzer fuzz test of the gateway's request parsing and enrichment (the path of every ingestion route after auth):
 * whatever the body and headers, parsing never throws, a refusal is a 4xx, and an accepted request becomes gw jobs
 * of exactly the shape the processor reads (parameters with the source id, a payload holding one event object
 * with messageId, rudderId and receivedAt, an RFC 3339 batch receivedAt), whose jsonb parameters the queue can
 * store. Regression mode (CI, {@code ./mvnw verify}) replays the seeds in
 * {@code src/test/resources/dev/eventpipe/gateway/ingest/IngestFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (see
 * the README).
 */
class IngestFuzzTest {
    private static final BatchParser PARSER = new BatchParser(EventJson.mapper(64), false);
    private static final JobFactory JOBS = new JobFactory(EventJson.mapper(64));
    private static final Source SOURCE = new Source(
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
    private static final String[] ROUTES = {"track", "identify", "page", "screen", "group", "alias", "batch"};

    @FuzzTest(maxDuration = "30s")
    void anyRequestIsRefusedWithA4xxOrBecomesJobsTheProcessorCanRead(FuzzedDataProvider data) {
        String route = data.pickValue(ROUTES);
        RequestMeta meta = new RequestMeta(
                data.consumeString(40), data.consumeString(40), data.consumeString(40), data.consumeString(40), "");
        byte[] body = data.consumeRemainingAsBytes();

        Parsed parsed = PARSER.parse(body, route.equals("batch") ? null : route);

        switch (parsed) {
            case Parsed.Invalid invalid -> assertThat(invalid.reply().status()).isBetween(400, 499);
            case Parsed.Events events -> {
                List<NewJob> jobs = JOBS.jobs(SOURCE, meta, events.events(), Instant.now());
                assertThat(jobs).hasSameSizeAs(events.events());
                for (NewJob job : jobs) assertReadable(job);
            }
        }
    }

    private static void assertReadable(NewJob job) {
        assertThat(job.customVal()).isEqualTo("GW");
        assertThat(job.userId()).isNotNull();
        JsonNode parameters = Json.mapper().readTree(JsonbText.safe(job.parameters()));
        assertThat(parameters.path("source_id").asString()).isEqualTo("src-1");
        assertThat(JsonbText.safe(job.parameters())).isEqualTo(JsonbText.safe(JsonbText.safe(job.parameters())));
        JsonNode payload = Json.mapper().readTree(job.payload());
        assertThat(payload.path("batch")).hasSize(1);
        JsonNode event = payload.path("batch").get(0);
        assertThat(event.isObject()).isTrue();
        assertThat(event.path("messageId").asString("")).isNotEmpty();
        assertThat(event.path("rudderId").asString("")).hasSize(36);
        assertThat(event.has("receivedAt")).isTrue();
        OffsetDateTime.parse(payload.path("receivedAt").asString());
    }
}
