package dev.eventpipe.model.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** A source-to-destination connection as listed in the workspace config's {@code connections} map. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Connection(
        String sourceId, String destinationId, boolean enabled, Map<String, Object> config, boolean processorEnabled) {
    public Connection {
        config = config == null ? Map.of() : config;
    }
}
