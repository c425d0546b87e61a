package dev.eventpipe.configbackend.web;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.DatabindException;

/** Every API error as an RFC 9457 {@link ProblemDetail}; validation problems list their fields in {@code errors}. */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    @ExceptionHandler(ApiException.class)
    ProblemDetail apiException(ApiException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        if (e instanceof ApiException.Invalid invalid) {
            problem.setTitle("Invalid request");
            problem.setType(URI.create("urn:eventpipe:problem:validation"));
            problem.setProperty("errors", invalid.errors());
        }
        return problem;
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ProblemDetail integrity(DataIntegrityViolationException e) {
        String message = e.getMostSpecificCause().getMessage();
        String detail = message != null && message.contains("duplicate key")
                ? "an object with the same name or key already exists"
                : "the change conflicts with existing objects";
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
    }

    /** An unreadable body; when Jackson knows where it failed (wrong type, unknown enum value) the field is named. */
    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (e.getCause() instanceof DatabindException databind
                && !databind.getPath().isEmpty()) {
            String field = databind.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            return ResponseEntity.badRequest()
                    .body(apiException(new ApiException.Invalid(field, "has the wrong type or an unknown value")));
        }
        return super.handleHttpMessageNotReadable(e, headers, status, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new FieldProblem(f.getField(), String.valueOf(f.getDefaultMessage())))
                .toList();
        ProblemDetail problem = apiException(new ApiException.Invalid(errors));
        return ResponseEntity.badRequest().body(problem);
    }
}
