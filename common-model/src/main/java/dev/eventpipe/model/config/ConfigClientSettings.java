package dev.eventpipe.model.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How a data-plane service finds its workspace config: {@code WORKSPACE_CONFIG_PATH} (a file) wins; otherwise
 * {@code CONFIG_BACKEND_URL} with {@code WORKSPACE_TOKEN}, polled every {@code pollInterval} (RudderStack: 5 s).
 */
public record ConfigClientSettings(
        @Nullable String configPath,
        String backendUrl,
        String workspaceToken,
        Duration pollInterval,
        Duration httpTimeout) {}
