package dev.eventpipe.model.config;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A destination type in the catalogue: its name (the type key), display name and definition config. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DestinationDefinition(String id, String name, String displayName, Config config) {

    public DestinationDefinition {
        config = config == null ? new Config(null, null, null, null) : config;
        displayName = displayName == null ? name : displayName;
    }

    /**
     * The definition's config. {@code supportedMessageTypes} null means "no restriction" (RudderStack's rule);
     * every other key is kept in {@link #other()}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Config(
            @Nullable List<String> supportedMessageTypes,
            @Nullable List<String> supportedSourceTypes,
            @Nullable String transformAtV1,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {
        public Config {
            other = other == null ? new LinkedHashMap<>() : other;
        }
    }
}
