package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.sandbox.ContextPool;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * In a version's own process only ({@code transformer.isolation.version} set by the parent): the parent's route
 * into it. Behind the service token like every route, on loopback; it runs only code fetched by version id, and only
 * its own version's (see {@link UserTransformer}). A call's deadline is what the parent's request had left ({@link
 * VersionProcesses#DEADLINE_HEADER}), so a call the parent gave up on does not go on holding the one script thread.
 */
@RestController
@ConditionalOnProperty("transformer.isolation.version")
class IsolatedController {
    private final UserTransformer transformer;

    IsolatedController(UserTransformer transformer) {
        this.transformer = transformer;
    }

    @PostMapping(path = IsolatedCall.PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    IsolatedCall.Response transform(
            @RequestBody IsolatedCall.Request request,
            @RequestHeader(name = VersionProcesses.DEADLINE_HEADER, required = false) @Nullable Long leftMillis) {
        UserTransformer.Placement placement =
                transformer.place(request.items(), request.reportFiltered(), deadline(leftMillis));
        List<IsolatedCall.Answer> answers =
                placement.placed().stream().map(IsolatedCall.Answer::answering).toList();
        return new IsolatedCall.Response(answers, placement.filledTheHeap());
    }

    /** The parent request's deadline (what it had left when it called), never later than this process's own. */
    private long deadline(@Nullable Long leftMillis) {
        long own = ContextPool.deadlineFromNow(transformer.requestDeadline());
        if (leftMillis == null) {
            return own;
        }
        long parents = ContextPool.deadlineFromNow(Duration.ofMillis(Math.max(0, leftMillis)));
        return parents - own < 0 ? parents : own;
    }

    @ExceptionHandler(CodeBackendUnavailable.class)
    ResponseEntity<String> codeBackendUnavailable(CodeBackendUnavailable e) {
        return ResponseEntity.status(HttpStatusCode.valueOf(CustomTransformController.RETRY_LATER))
                .contentType(MediaType.TEXT_PLAIN)
                .body(String.valueOf(e.getMessage()));
    }
}
