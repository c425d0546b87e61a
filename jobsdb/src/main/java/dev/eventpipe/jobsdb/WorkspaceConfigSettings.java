package dev.eventpipe.jobsdb;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a data-plane service reads its workspace config ({@code workspace-config.*}); RudderStack's
 * {@code WORKSPACE_CONFIG_PATH}, {@code CONFIG_BACKEND_URL} and {@code WORKSPACE_TOKEN} are mapped onto these keys
 * by {@link JobsDbEnvironment}.
 *
 * @param path a workspaceConfig.json file; when set it wins over the control plane
 * @param backendUrl the control plane, polled with {@code GET /workspaceConfig?fetchAll=true}
 * @param token the workspace token, sent as the Basic auth user name
 */
@ConfigurationProperties("workspace-config")
public record WorkspaceConfigSettings(
        @DefaultValue("") String path,
        @DefaultValue("http://127.0.0.1:5000") String backendUrl,
        @DefaultValue("") String token,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("30s") Duration httpTimeout) {}
