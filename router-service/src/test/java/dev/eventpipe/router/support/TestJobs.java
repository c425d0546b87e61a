package dev.eventpipe.router.support;

import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.model.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** rt jobs as the processor writes them: a WEBHOOK-style delivery description and the usual parameters. */
public final class TestJobs {
    public static final String WORKSPACE = "ws-1";

    private TestJobs() {}

    public static NewJob job(
            String type, String destinationId, String endpoint, String userId, String messageId, int seq) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("messageId", messageId);
        event.put("userId", userId);
        event.put("seq", seq);
        event.put("event", "Order Completed");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("version", "1");
        payload.put("type", "REST");
        payload.put("method", "POST");
        payload.put("endpoint", endpoint);
        payload.put("headers", Map.of("content-type", "application/json"));
        payload.put("params", Map.of());
        payload.put("body", Map.of("JSON", event, "JSON_ARRAY", Map.of(), "XML", Map.of(), "FORM", Map.of()));
        payload.put("files", Map.of());
        payload.put("userId", userId);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("destination_id", destinationId);
        params.put("source_id", "src-1");
        params.put("workspaceId", WORKSPACE);
        params.put("message_id", messageId);
        params.put("gateway_job_id", 1);
        params.put("received_at", "2026-11-26T12:00:00.000Z");
        params.put("event_name", "Order Completed");
        params.put("event_type", "track");
        return NewJob.of(userId, WORKSPACE, type, Json.writeString(params), Json.writeString(payload));
    }

    /** A workspace config with enabled destinations {@code enabledIds} and disabled ones {@code disabledIds}. */
    public static String workspaceConfig(String[] enabledIds, String[] disabledIds) {
        StringBuilder destinations = new StringBuilder();
        for (String id : enabledIds) append(destinations, id, true);
        for (String id : disabledIds) append(destinations, id, false);
        return """
                {"workspaceId": "ws-1", "sources": [{"id": "src-1", "name": "s", "writeKey": "wk", "workspaceId": "ws-1",
                  "enabled": true, "sourceDefinition": {"id": "sd", "name": "HTTP"}, "destinations": [%s]}]}""".formatted(destinations);
    }

    /** Two WEBHOOK destinations: {@code d-batch} with {@code enableBatching: true}, {@code d-plain} without. */
    public static String batchingWorkspaceConfig() {
        return """
                {"workspaceId": "ws-1", "sources": [{"id": "src-1", "name": "s", "writeKey": "wk", "workspaceId": "ws-1",
                  "enabled": true, "sourceDefinition": {"id": "sd", "name": "HTTP"}, "destinations": [
                   {"id": "d-batch", "name": "batched", "workspaceId": "ws-1", "enabled": true, "isProcessorEnabled": true,
                    "config": {"enableBatching": true}, "destinationDefinition": {"id": "dd", "name": "WEBHOOK"}},
                   {"id": "d-plain", "name": "plain", "workspaceId": "ws-1", "enabled": true, "isProcessorEnabled": true,
                    "config": {}, "destinationDefinition": {"id": "dd", "name": "WEBHOOK"}}]}]}""";
    }

    private static void append(StringBuilder out, String id, boolean enabled) {
        if (!out.isEmpty()) out.append(',');
        out.append("""
                {"id": "%s", "name": "%s", "workspaceId": "ws-1", "enabled": %s, "isProcessorEnabled": true,
                 "config": {}, "destinationDefinition": {"id": "dd", "name": "WEBHOOK", "displayName": "Webhook"}}""".formatted(id, id, enabled));
    }
}
