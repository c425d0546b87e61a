package dev.eventpipe.configbackend.web;

import java.util.List;
import java.util.stream.Collectors;

/** One invalid field: its path in the request body (e.g. {@code config.webhookUrl}) and what is wrong. */
public record FieldProblem(String field, String message) {
    static String describe(List<FieldProblem> errors) {
        return errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
    }
}
