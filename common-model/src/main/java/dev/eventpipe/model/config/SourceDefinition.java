package dev.eventpipe.model.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/** The kind of a source ({@code HTTP}, {@code Javascript}, a webhook tool...); category "" means event stream. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceDefinition(
        String id, String name, String category, @Nullable String type) {
    public SourceDefinition {
        id = id == null ? "" : id;
        name = name == null ? "" : name;
        category = category == null ? "" : category;
    }
}
