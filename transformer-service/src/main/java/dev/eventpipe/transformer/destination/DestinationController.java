package dev.eventpipe.transformer.destination;

import dev.eventpipe.transformer.contract.ApiVersion;
import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.contract.TransformResponseItem;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** rudder-transformer's {@code POST /v0/destinations/{type}}: events to delivery descriptions. */
@RestController
class DestinationController {
    private final DestinationTransformer transformer;

    DestinationController(DestinationTransformer transformer) {
        this.transformer = transformer;
    }

    @PostMapping(path = "/v0/destinations/{type}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<List<TransformResponseItem>> transform(
            @PathVariable String type, @RequestBody List<TransformRequestItem> events) {
        return ResponseEntity.ok()
                .header(ApiVersion.HEADER, ApiVersion.VALUE)
                .body(transformer.transform(type, events));
    }
}
