package dev.eventpipe.transformer;

import dev.eventpipe.transformer.sandbox.SandboxUnavailable;
import java.util.concurrent.RejectedExecutionException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Errors that concern the service rather than one event. */
@RestControllerAdvice
class ServiceErrors {
    /** Every script thread is busy and the task queue is full: the processor retries 503. */
    @ExceptionHandler(RejectedExecutionException.class)
    ResponseEntity<ProblemDetail> overloaded(RejectedExecutionException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "transformer overloaded"));
    }

    /** The sandbox (memory, deadline, engine), not an event, stopped the request: the caller retries all of it. */
    @ExceptionHandler(SandboxUnavailable.class)
    ResponseEntity<ProblemDetail> sandboxUnavailable(SandboxUnavailable e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "5")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()));
    }
}
