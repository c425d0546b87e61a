package dev.eventpipe.transformer.user;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where transformation code comes from.
 *
 * @param url the config backend ({@code CONFIG_BACKEND_URL})
 * @param workspaceToken sent as {@code Basic base64(token:)} when not blank ({@code WORKSPACE_TOKEN})
 * @param timeout per request to the config backend
 */
@ConfigurationProperties("transformer.config-backend")
public record ConfigBackendProperties(
        @DefaultValue("http://localhost:5000") String url,
        @DefaultValue("") String workspaceToken,
        @DefaultValue("10s") Duration timeout) {}
