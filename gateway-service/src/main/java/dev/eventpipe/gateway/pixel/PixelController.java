package dev.eventpipe.gateway.pixel;

import dev.eventpipe.gateway.auth.WriteKeyAuth;
import dev.eventpipe.gateway.ingest.Ingestion;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /pixel/v1/track} and {@code /pixel/v1/page} (rs:gateway/handle_http_pixel.go): the query parameters
 * become an event and take the normal path of a single-event request; the answer is always a 1x1 GIF, whatever
 * happened to the event (an image tag cannot show an error anyway).
 */
@RestController
class PixelController {
    static final byte[] GIF = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final Ingestion ingestion;
    private final WriteKeyAuth auth;

    PixelController(Ingestion ingestion, WriteKeyAuth auth) {
        this.ingestion = ingestion;
        this.auth = auth;
    }

    @GetMapping({"/pixel/v1/{type:track|page}", "/pixel/v1/{type:track|page}/"})
    ResponseEntity<byte[]> pixel(@PathVariable String type, HttpServletRequest request) {
        Map<String, String[]> query = request.getParameterMap();
        String[] writeKey = query.get("writeKey");
        if (writeKey != null && writeKey.length > 0) {
            PixelEvent.of(ingestion.json(), type, query, Instant.now())
                    .ifPresent(event -> ingestion.handleBuilt(request, auth.byQuery(request), type, List.of(event)));
        }
        return ResponseEntity.ok().contentType(MediaType.IMAGE_GIF).body(GIF);
    }
}
