package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.contract.ApiVersion;
import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.contract.TransformResponseItem;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** rudder-transformer's {@code POST /customTransform}: user transformations for the processor. */
@RestController
class CustomTransformController {
    /** RudderStack's "config backend down, retry the whole request" status. */
    static final int RETRY_LATER = 809;

    private final UserTransformer transformer;

    CustomTransformController(UserTransformer transformer) {
        this.transformer = transformer;
    }

    @PostMapping(path = "/customTransform", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<List<TransformResponseItem>> customTransform(
            @RequestBody List<TransformRequestItem> events,
            @RequestHeader(name = ApiVersion.FILTER_CODE_HEADER, required = false) @Nullable String filterCode) {
        List<TransformResponseItem> answer = transformer.transform(events, filterCode != null);
        return ResponseEntity.ok().header(ApiVersion.HEADER, ApiVersion.VALUE).body(answer);
    }

    @ExceptionHandler(CodeBackendUnavailable.class)
    ResponseEntity<String> codeBackendUnavailable(CodeBackendUnavailable e) {
        return ResponseEntity.status(HttpStatusCode.valueOf(RETRY_LATER))
                .contentType(MediaType.TEXT_PLAIN)
                .body("Error fetching transformation code: " + e.getMessage());
    }
}
