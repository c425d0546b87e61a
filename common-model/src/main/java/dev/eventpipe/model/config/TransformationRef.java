package dev.eventpipe.model.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A user transformation attached to a destination, pinned to one immutable code version. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransformationRef(
        String id, String versionId, @Nullable String language, Map<String, Object> config) {
    public TransformationRef {
        config = config == null ? Map.of() : config;
    }
}
