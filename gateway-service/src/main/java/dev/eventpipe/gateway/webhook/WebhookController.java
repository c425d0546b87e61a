package dev.eventpipe.gateway.webhook;

import dev.eventpipe.gateway.auth.AuthResult;
import dev.eventpipe.gateway.auth.WriteKeyAuth;
import dev.eventpipe.gateway.ingest.BodyRead;
import dev.eventpipe.gateway.ingest.GatewayMetrics;
import dev.eventpipe.gateway.ingest.Ingestion;
import dev.eventpipe.gateway.reply.Reply;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/webhook}: the write key of a webhook source in {@code ?writeKey=} or Basic auth. RudderStack
 * hands the body to a per-tool source transformer; there is none here yet, so every webhook source behaves like
 * rudder-transformer's generic {@code webhook} source (src/v1/sources/webhook): the JSON body becomes one
 * {@code track} event named {@code webhook_source_event} with the body as {@code properties} and a new random
 * {@code anonymousId}. The event then takes the normal path (enrichment, one job, group commit).
 */
@RestController
class WebhookController {
    static final String EVENT_NAME = "webhook_source_event";

    private final Ingestion ingestion;
    private final WriteKeyAuth auth;
    private final GatewayMetrics metrics;

    WebhookController(Ingestion ingestion, WriteKeyAuth auth, GatewayMetrics metrics) {
        this.ingestion = ingestion;
        this.auth = auth;
        this.metrics = metrics;
    }

    @PostMapping({"/v1/webhook", "/v1/webhook/"})
    ResponseEntity<byte[]> webhook(HttpServletRequest request) {
        return switch (auth.forWebhook(request)) {
            case AuthResult.Denied denied -> counted("none", denied.reply());
            case AuthResult.Authenticated ok ->
                switch (ingestion.readBody(request)) {
                    case BodyRead.Refused refused -> counted(ok.source().id(), refused.reply());
                    case BodyRead.Body body -> {
                        try (body) { // the body's memory share is held until the events are stored
                            JsonNode parsed = ingestion.readJson(body.bytes());
                            if (parsed == null) yield counted(ok.source().id(), Reply.INVALID_JSON);
                            yield ingestion
                                    .handleBuilt(request, ok, "webhook", List.of(event(parsed)))
                                    .toResponse();
                        }
                    }
                };
        };
    }

    private ObjectNode event(JsonNode body) {
        ObjectNode event = ingestion.json().createObjectNode();
        event.put("type", "track");
        event.put("event", EVENT_NAME);
        event.set("properties", body);
        event.put("anonymousId", UUID.randomUUID().toString());
        return event;
    }

    private ResponseEntity<byte[]> counted(String sourceId, Reply reply) {
        metrics.request(sourceId, "webhook", reply.result(), 0);
        return reply.toResponse();
    }
}
