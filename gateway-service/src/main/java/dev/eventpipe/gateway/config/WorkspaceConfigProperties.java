package dev.eventpipe.gateway.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the gateway reads its workspace config ({@code gateway.workspace-config.*}); application.yaml maps
 * RudderStack's {@code WORKSPACE_CONFIG_PATH}, {@code CONFIG_BACKEND_URL} and {@code WORKSPACE_TOKEN} onto it.
 *
 * @param path a workspaceConfig.json file; when set it wins over the control plane
 * @param backendUrl the control plane, polled with {@code GET /workspaceConfig?fetchAll=true}
 * @param token the workspace token sent as Basic auth user name
 */
@ConfigurationProperties("gateway.workspace-config")
public record WorkspaceConfigProperties(
        @DefaultValue("") String path,
        @DefaultValue("http://127.0.0.1:5000") String backendUrl,
        @DefaultValue("") String token,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("30s") Duration httpTimeout) {}
