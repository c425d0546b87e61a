package dev.eventpipe.gateway.ingest;

import dev.eventpipe.gateway.auth.WriteKeyAuth;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The SDK routes (rs:gateway/handle_lifecycle.go). Bodies are read from the raw stream whatever the content type
 * (sendBeacon posts text/plain or form types), never through request parameters.
 */
@RestController
class IngestController {
    private final Ingestion ingestion;
    private final WriteKeyAuth auth;

    IngestController(Ingestion ingestion, WriteKeyAuth auth) {
        this.ingestion = ingestion;
        this.auth = auth;
    }

    @PostMapping("/v1/{type:track|identify|page|screen|group|alias|merge}")
    ResponseEntity<byte[]> single(@PathVariable String type, HttpServletRequest request) {
        return ingestion.handle(request, auth.byHeader(request), type, type).toResponse();
    }

    @PostMapping("/v1/batch")
    ResponseEntity<byte[]> batch(HttpServletRequest request) {
        return ingestion.handle(request, auth.byHeader(request), "batch", null).toResponse();
    }

    /** Bulk import: every event is stored as its own job, so it is a batch (all or nothing) here. */
    @PostMapping("/v1/import")
    ResponseEntity<byte[]> importBatch(HttpServletRequest request) {
        return ingestion.handle(request, auth.byHeader(request), "import", null).toResponse();
    }

    @PostMapping("/beacon/v1/batch")
    ResponseEntity<byte[]> beacon(HttpServletRequest request) {
        return ingestion.handle(request, auth.byQuery(request), "batch", null).toResponse();
    }
}
