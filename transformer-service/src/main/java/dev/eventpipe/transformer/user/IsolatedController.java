package dev.eventpipe.transformer.user;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * In a version's own process only ({@code transformer.isolation.version} set by the parent): the parent's route
 * into it. Behind the service token like every route, on loopback; it runs only code fetched by version id, and only
 * its own version's (see {@link UserTransformer}).
 */
@RestController
@ConditionalOnProperty("transformer.isolation.version")
class IsolatedController {
    private final UserTransformer transformer;

    IsolatedController(UserTransformer transformer) {
        this.transformer = transformer;
    }

    @PostMapping(path = IsolatedCall.PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    IsolatedCall.Response transform(@RequestBody IsolatedCall.Request request) {
        UserTransformer.Placement placement = transformer.place(request.items(), request.reportFiltered());
        List<IsolatedCall.Answer> answers =
                placement.placed().stream().map(IsolatedCall.Answer::answering).toList();
        return new IsolatedCall.Response(answers, placement.filledTheHeap());
    }

    @ExceptionHandler(CodeBackendUnavailable.class)
    ResponseEntity<String> codeBackendUnavailable(CodeBackendUnavailable e) {
        return ResponseEntity.status(HttpStatusCode.valueOf(CustomTransformController.RETRY_LATER))
                .contentType(MediaType.TEXT_PLAIN)
                .body(String.valueOf(e.getMessage()));
    }
}
