package dev.eventpipe.transformer.batch;

import dev.eventpipe.transformer.contract.ApiVersion;
import dev.eventpipe.transformer.contract.TransformRequestItem;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * rudder-transformer's {@code POST /batch}: {@code {"destType", "input": [{message, metadata, destination}]}}, the
 * message being a delivery description; answers the batched requests in the order the router must send them.
 */
@RestController
class BatchController {
    private final BatchTransformer transformer;

    BatchController(BatchTransformer transformer) {
        this.transformer = transformer;
    }

    @PostMapping(path = "/batch", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> batch(@RequestBody JsonNode request) {
        String problem = problem(request);
        if (problem != null) {
            return badRequest(problem);
        }
        List<TransformRequestItem> items = new ArrayList<>(request.path("input").size());
        for (JsonNode item : request.path("input")) {
            items.add(new TransformRequestItem(
                    item.get("message"), (ObjectNode) item.get("metadata"), item.get("destination"), null, null));
        }
        return ResponseEntity.ok()
                .header(ApiVersion.HEADER, ApiVersion.VALUE)
                .body(transformer.batch(request.path("destType").asString(), items));
    }

    /** Why the request cannot be answered item by item, or null. */
    private static @Nullable String problem(JsonNode request) {
        if (!request.isObject()) {
            return "the request must be a JSON object {\"destType\": ..., \"input\": [...]}";
        }
        if (!request.path("destType").isString()
                || request.path("destType").asString().isBlank()) {
            return "destType is required";
        }
        JsonNode input = request.path("input");
        if (!input.isArray()) {
            return "input must be an array";
        }
        for (int i = 0; i < input.size(); i++) {
            if (!input.get(i).path("metadata").isObject()) {
                return "input[" + i + "] must be an object with a metadata object";
            }
        }
        return null;
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        return badRequest("the request body is not JSON");
    }

    private static ResponseEntity<ProblemDetail> badRequest(String detail) {
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail));
    }
}
