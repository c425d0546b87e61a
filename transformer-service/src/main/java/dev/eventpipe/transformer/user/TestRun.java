package dev.eventpipe.transformer.user;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The answer of {@code POST /transformation/test}.
 *
 * @param outputs the events the code returned, in order (fan-out included, dropped events left out)
 * @param errors per input event that failed; or one entry with index -1 when the code itself did not load
 * @param logs lines written with {@code log(...)} or {@code console.log(...)}
 */
record TestRun(List<JsonNode> outputs, List<EventError> errors, List<String> logs, long durationMs) {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EventError(int index, @Nullable String messageId, String error) {}
}
