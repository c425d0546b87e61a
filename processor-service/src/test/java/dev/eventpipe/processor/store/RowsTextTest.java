package dev.eventpipe.processor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.WorkspaceConfig;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.fanout.FanOutStage;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.EventJson;
import dev.eventpipe.processor.pipeline.GwJob;
import dev.eventpipe.processor.pipeline.RoutedEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 16: the rt parameters and the archive lines (and their parameters) are written straight to the generator
 * instead of built as trees and serialised. Their text must be the trees' byte for byte: the trees' code before the
 * change is kept here ({@link #treeParameters}, {@link #treeArchive}) and both are run on hostile jobs (NUL,
 * controls, lone surrogates, separators and quotes in every string the rows copy, values of other types where a
 * string is expected, odd times, a hostile source and destination in the config).
 */
class RowsTextTest {
    private static final List<String> STRINGS = List.of(
            "\"\"",
            "\"m-1\"",
            "\"a\\u0000b\"",
            "\"\\u0001\\u001f\\u007f\\u0085\"",
            "\"\\ud800\"",
            "\"x\\udfffy\"",
            "\"\\ud83d\\ude00\"",
            "\"\\u2028\\u2029\"",
            "\"\u00e9\u4e2d\"",
            "\"q\\\"b\\\\s\\/\"",
            "7",
            "1e400",
            "2.50",
            "true",
            "null",
            "{\"a\":1}",
            "[1]");
    private static final String NAME = "we\\u0000b \\ud800 \\u2028 \\\"x\\\"";
    private static final String CONFIG = """
            {"workspaceId": "ws-1", "sources": [{"id": "src-1", "name": "%1$s", "writeKey": "wk", "enabled": true,
              "workspaceId": "ws-1", "sourceDefinition": {"id": "sd-%1$s", "name": "HTTP", "category": ""},
              "destinations": [
                {"id": "d-1", "name": "hook", "enabled": true, "isProcessorEnabled": true,
                 "config": {"webhookUrl": "https://x"},
                 "destinationDefinition": {"id": "dd", "name": "WEBHOOK", "displayName": "Webhook", "config": {}}},
                {"id": "d-%1$s", "name": "%1$s", "enabled": true, "isProcessorEnabled": true, "config": {},
                 "destinationDefinition": {"id": "dd-%1$s", "name": "AM", "displayName": "Amplitude",
                   "config": {}}}]}]}""".formatted(NAME);
    private static final ConfigIndex INDEX = ConfigIndex.of(Json.mapper().readValue(CONFIG, WorkspaceConfig.class));
    private static final ProcessorProperties PROPERTIES = new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("processor", Bindable.of(ProcessorProperties.class));
    private static final List<String> TIMES = List.of(
            "\"2026-11-30T12:34:56.789Z\"",
            "\"2026-11-30T12:34:56.789+05:30\"",
            "\"2026-11-30T12:34:56Z\"",
            "\"0001-01-01T00:00:00.000Z\"",
            "\"0999-12-31T23:59:59.999Z\"",
            "\"9999-12-31T23:59:59.999-18:00\"",
            "\"+10000-01-01T00:00:00.000Z\"",
            "\"nonsense\"",
            "7");

    @Test
    void rtParametersAndArchiveLinesAreTheTreesText() {
        int rows = 0;
        for (int i = 0; i < STRINGS.size(); i++) {
            for (String time : TIMES) {
                String s = STRINGS.get(i);
                String t = STRINGS.get((i + 3) % STRINGS.size());
                String event = "{\"type\":" + t + ",\"event\":" + s + ",\"messageId\":" + s + ",\"recordId\":" + t
                        + ",\"anonymousId\":\"a\",\"properties\":{\"v\":2.50,\"k\":" + s + "},\"originalTimestamp\":"
                        + time + "}";
                String params = "{\"source_id\":\"src-1\",\"source_task_run_id\":" + s + ",\"source_job_id\":" + t
                        + ",\"source_category\":" + s + ",\"traceparent\":" + t + "}";
                String payload = "{\"batch\":[" + event + "],\"requestIP\":" + s + ",\"receivedAt\":" + time + "}";
                BatchWork work = routed(job(100 + rows, "hdr<<>>\u0000\ud800<<>>u\u2028", params, payload));
                assertThat(work.routed()).hasSize(2);
                for (RoutedEvent routed : work.routed())
                    assertThat(RtJobs.parameters(routed)).as(event).isEqualTo(treeParameters(routed));
                List<NewJob> arc = ArcJobs.of(work);
                List<String[]> expected = treeArchive(work);
                assertThat(arc).hasSameSizeAs(expected);
                for (int j = 0; j < arc.size(); j++) {
                    assertThat(arc.get(j).parameters()).as(event).isEqualTo(expected.get(j)[0]);
                    assertThat(arc.get(j).payload()).as(event).isEqualTo(expected.get(j)[1]);
                }
                rows += arc.size();
            }
        }
        assertThat(rows).isEqualTo(STRINGS.size() * TIMES.size());
    }

    private static BatchWork routed(Job job) {
        GwJob gw = GwJob.parse(job);
        BatchWork work = new BatchWork(List.of(gw));
        for (var event : gw.events()) work.accepted().add(new BatchWork.Accepted(gw, null, event));
        new FanOutStage(PROPERTIES).apply(work, INDEX);
        return work;
    }

    private static Job job(long id, String userId, String params, String payload) {
        return new Job(
                id,
                UUID.randomUUID(),
                userId,
                "ws-\u0000\ud800",
                0,
                "GW",
                params,
                payload,
                1,
                payload.length(),
                Instant.parse("2024-05-01T10:00:01.5Z").plusNanos(id * 7_654_321L),
                null);
    }

    /** RtJobs.parameters before issue 16's change: a tree of the transformer metadata's values. */
    private static String treeParameters(RoutedEvent routed) {
        GwJob gw = routed.job();
        ObjectNode m = routed.metadata();
        ObjectNode p = EventJson.MAPPER.createObjectNode();
        p.put("source_id", routed.source().id());
        p.put("source_name", routed.source().name());
        p.put("destination_id", routed.destination().id());
        p.put("received_at", m.path("receivedAt").asString(""));
        p.put("transform_at", "processor");
        p.put("message_id", m.path("messageId").asString(""));
        p.put("gateway_job_id", gw.jobId());
        p.put("source_task_run_id", gw.param("source_task_run_id"));
        p.put("source_job_id", gw.param("source_job_id"));
        p.put("source_job_run_id", gw.param("source_job_run_id"));
        p.put("event_name", m.path("eventName").asString(""));
        p.put("event_type", m.path("eventType").asString(""));
        p.put("source_definition_id", routed.source().sourceDefinition().id());
        p.put(
                "destination_definition_id",
                routed.destination().destinationDefinition().id());
        p.put("source_category", gw.param("source_category"));
        p.put("record_id", m.path("recordId").asString(""));
        p.put("workspaceId", gw.job().workspaceId());
        p.put("traceparent", gw.param("traceparent"));
        return p.toString();
    }

    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** ArcJobs.of before issue 16's change: per archived event, {parameters, payload} built as trees. */
    private static List<String[]> treeArchive(BatchWork work) {
        List<String[]> out = new ArrayList<>();
        for (BatchWork.Accepted accepted : work.accepted()) {
            GwJob gw = accepted.job();
            if (!gw.param("source_job_run_id").isEmpty()
                    || !gw.param("archive_replay").isEmpty()) continue;
            String receivedAt = MILLIS.format(gw.receivedAt());
            ObjectNode line = EventJson.MAPPER.createObjectNode();
            line.put("userId", gw.job().userId());
            line.set("payload", accepted.event());
            line.put("createdAt", MILLIS.format(gw.job().createdAt()));
            line.put("messageId", accepted.event().path("messageId").asString(""));
            line.put("receivedAt", receivedAt);
            line.put("requestIP", gw.requestIp());
            line.put("jobId", gw.jobId());
            ObjectNode params = EventJson.MAPPER.createObjectNode();
            params.put("source_id", gw.sourceId());
            params.put("received_at", receivedAt);
            params.put("gateway_job_id", gw.jobId());
            out.add(new String[] {params.toString(), EventJson.MAPPER.writeValueAsString(line)});
        }
        return out;
    }
}
