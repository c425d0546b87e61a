package dev.eventpipe.workspaceconfig;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a data-plane service reads its workspace configs ({@code workspace-config.*}); RudderStack's
 * {@code WORKSPACE_CONFIG_PATH}, {@code CONFIG_BACKEND_URL}, {@code WORKSPACE_TOKEN}, {@code WORKSPACE_NAMESPACE}
 * and {@code HOSTED_SERVICE_SECRET} are mapped onto these keys by {@link WorkspaceConfigEnvironment}.
 *
 * @param path a workspaceConfig.json file (one workspace, or the namespace shape); when set it wins
 * @param backendUrl the control plane
 * @param token a workspace token: this service serves that one workspace ({@code GET /workspaceConfig})
 * @param namespace when set, this service serves every workspace of the control plane
 *     ({@code GET /data-plane/v1/namespaces/<namespace>/config}), authenticated by {@code namespaceSecret}
 * @param namespaceSecret the control plane's instance-wide data-plane secret
 */
@ConfigurationProperties("workspace-config")
public record WorkspaceConfigSettings(
        @DefaultValue("") String path,
        @DefaultValue("http://127.0.0.1:5000") String backendUrl,
        @DefaultValue("") String token,
        @DefaultValue("") String namespace,
        @DefaultValue("") String namespaceSecret,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("30s") Duration httpTimeout) {}
