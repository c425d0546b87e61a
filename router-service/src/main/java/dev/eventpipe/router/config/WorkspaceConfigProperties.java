package dev.eventpipe.router.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the router reads its workspace config ({@code router.workspace-config.*}); application.yaml maps
 * {@code WORKSPACE_CONFIG_PATH}, {@code CONFIG_BACKEND_URL} and {@code WORKSPACE_TOKEN} onto it. The router needs
 * it to drain jobs of deleted or disabled destinations.
 */
@ConfigurationProperties("router.workspace-config")
public record WorkspaceConfigProperties(
        @DefaultValue("") String path,
        @DefaultValue("http://127.0.0.1:5000") String backendUrl,
        @DefaultValue("") String token,
        @DefaultValue("5s") Duration pollInterval,
        @DefaultValue("30s") Duration httpTimeout) {}
