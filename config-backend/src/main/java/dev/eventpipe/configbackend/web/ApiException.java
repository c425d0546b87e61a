package dev.eventpipe.configbackend.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/** An expected failure of an API call, turned into an RFC 9457 problem by {@link ApiProblems}. */
public sealed class ApiException extends RuntimeException {
    private final HttpStatus status;

    private ApiException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    /** Unknown, or in a workspace the caller may not see (the two are not told apart). */
    public static final class NotFound extends ApiException {
        public NotFound(String what) {
            super(HttpStatus.NOT_FOUND, what + " not found");
        }
    }

    /** The caller's role does not allow this call. */
    public static final class Forbidden extends ApiException {
        public Forbidden(String message) {
            super(HttpStatus.FORBIDDEN, message);
        }
    }

    /** Clashes with the current state (duplicate name, object in use, immutable version). */
    public static final class Conflict extends ApiException {
        public Conflict(String message) {
            super(HttpStatus.CONFLICT, message);
        }
    }

    /** Invalid input; every problem names its field. */
    public static final class Invalid extends ApiException {
        private final List<FieldProblem> errors;

        public Invalid(List<FieldProblem> errors) {
            super(HttpStatus.BAD_REQUEST, FieldProblem.describe(errors));
            this.errors = List.copyOf(errors);
        }

        public Invalid(String field, String message) {
            this(List.of(new FieldProblem(field, message)));
        }

        public List<FieldProblem> errors() {
            return errors;
        }
    }
}
