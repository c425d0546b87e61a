package dev.eventpipe.gateway.ingest;

import dev.eventpipe.gateway.auth.WriteKeyAuth;
import dev.eventpipe.gateway.reply.Reply;
import dev.eventpipe.gateway.reply.ReplyStyle;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The SDK routes (rs:gateway/handle_lifecycle.go), plus Segment's: analytics.js's short routes ({@code /v1/t}
 * track, {@code /p} page, {@code /i} identify, {@code /g} group, {@code /a} alias, {@code /s} screen, {@code /b}
 * batch, {@code /m} its own metrics, accepted and dropped). Every route also answers with a trailing slash, and the
 * write key may be in Basic auth or, without an {@code Authorization} header, in the body's {@code writeKey}.
 * Bodies are read from the raw stream whatever the content type (sendBeacon and analytics.js post text/plain),
 * never through request parameters.
 */
@RestController
class IngestController {
    private static final Map<String, String> SHORT_TYPES =
            Map.of("t", "track", "p", "page", "i", "identify", "g", "group", "a", "alias", "s", "screen");

    private final Ingestion ingestion;
    private final WriteKeyAuth auth;

    IngestController(Ingestion ingestion, WriteKeyAuth auth) {
        this.ingestion = ingestion;
        this.auth = auth;
    }

    @PostMapping({
        "/v1/{type:track|identify|page|screen|group|alias|merge}",
        "/v1/{type:track|identify|page|screen|group|alias|merge}/"
    })
    ResponseEntity<byte[]> single(@PathVariable String type, HttpServletRequest request) {
        return ingestion.handleSdk(request, type, type);
    }

    @PostMapping({"/v1/{letter:t|p|i|g|a|s}", "/v1/{letter:t|p|i|g|a|s}/"})
    ResponseEntity<byte[]> segmentShort(@PathVariable String letter, HttpServletRequest request) {
        String type = SHORT_TYPES.get(letter);
        return ingestion.handleSdk(request, type, type);
    }

    @PostMapping({"/v1/batch", "/v1/batch/", "/v1/b", "/v1/b/"})
    ResponseEntity<byte[]> batch(HttpServletRequest request) {
        return ingestion.handleSdk(request, "batch", null);
    }

    /** Bulk import: every event is stored as its own job, so it is a batch (all or nothing) here. */
    @PostMapping({"/v1/import", "/v1/import/"})
    ResponseEntity<byte[]> importBatch(HttpServletRequest request) {
        return ingestion.handleSdk(request, "import", null);
    }

    /** analytics.js's own telemetry: not events of the source, so accepted and dropped unread. */
    @PostMapping({"/v1/m", "/v1/m/"})
    ResponseEntity<byte[]> segmentMetrics(HttpServletRequest request) {
        return Reply.OK.toResponse(ReplyStyle.SEGMENT);
    }

    @PostMapping({"/beacon/v1/batch", "/beacon/v1/batch/"})
    ResponseEntity<byte[]> beacon(HttpServletRequest request) {
        return ingestion
                .handle(request, auth.byQuery(request), "batch", null)
                .toResponse(ReplyStyle.of(request, false));
    }
}
