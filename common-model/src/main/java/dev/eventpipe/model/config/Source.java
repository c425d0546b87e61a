package dev.eventpipe.model.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A source: where events come from, identified by its write key, with the destinations it feeds. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Source(
        String id,
        @Nullable String originalId,
        String name,
        String writeKey,
        boolean enabled,
        String workspaceId,
        Map<String, Object> config,
        SourceDefinition sourceDefinition,
        List<Destination> destinations,

        @com.fasterxml.jackson.annotation.JsonProperty("transient")
        boolean transient_) {

    public Source {
        config = config == null ? Map.of() : config;
        destinations = destinations == null ? List.of() : List.copyOf(destinations);
        sourceDefinition = sourceDefinition == null ? new SourceDefinition("", "", "", null) : sourceDefinition;
        workspaceId = workspaceId == null ? "" : workspaceId;
    }

    /** True for webhook sources, whose request bodies are turned into events by a source transformer. */
    public boolean isWebhook() {
        return "webhook".equalsIgnoreCase(sourceDefinition.category());
    }
}
