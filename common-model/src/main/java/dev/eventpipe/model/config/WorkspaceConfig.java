package dev.eventpipe.model.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One workspace's configuration in RudderStack's {@code workspaceConfig.json} shape (the body of the control
 * plane's {@code GET /workspaceConfig}): sources, each with its destinations, plus connections, libraries,
 * credentials and settings. Unknown fields are ignored when read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkspaceConfig(
        String workspaceId,
        @Nullable String updatedAt,
        List<Source> sources,
        Map<String, Connection> connections,
        List<Map<String, Object>> libraries,
        Map<String, Map<String, Object>> credentials,
        Map<String, Object> settings,
        boolean enableMetrics) {

    public WorkspaceConfig {
        workspaceId = workspaceId == null ? "" : workspaceId;
        sources = sources == null ? List.of() : List.copyOf(sources);
        connections = connections == null ? Map.of() : Map.copyOf(connections);
        libraries = libraries == null ? List.of() : List.copyOf(libraries);
        credentials = credentials == null ? Map.of() : Map.copyOf(credentials);
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    public static WorkspaceConfig empty() {
        return new WorkspaceConfig("", null, List.of(), Map.of(), List.of(), Map.of(), Map.of(), false);
    }
}
