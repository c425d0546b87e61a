package dev.eventpipe.model.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How a data-plane service finds its workspace configs: {@code WORKSPACE_CONFIG_PATH} (a file) wins; else, with
 * {@code WORKSPACE_NAMESPACE}, every workspace of the control plane at {@code CONFIG_BACKEND_URL}, authenticated by
 * the instance-wide {@code HOSTED_SERVICE_SECRET} (RudderStack's multi-tenant mode); else the one workspace of
 * {@code WORKSPACE_TOKEN}. Polled every {@code pollInterval} (RudderStack: 5 s).
 */
public record ConfigClientSettings(
        @Nullable String configPath,
        String backendUrl,
        String workspaceToken,
        @Nullable String namespace,
        String namespaceSecret,
        Duration pollInterval,
        Duration httpTimeout) {

    /** The origin these settings name. */
    public ConfigOrigin origin() {
        if (configPath != null && !configPath.isBlank()) return new FileConfigOrigin(java.nio.file.Path.of(configPath));
        if (namespace != null && !namespace.isBlank()) {
            return HttpConfigOrigin.namespace(backendUrl, namespace, namespaceSecret, httpTimeout);
        }
        return HttpConfigOrigin.workspace(backendUrl, workspaceToken, httpTimeout);
    }
}
