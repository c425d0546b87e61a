package dev.eventpipe.configbackend.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The instance-wide data-plane credential ({@code configbackend.data-plane.*}; RudderStack's
 * {@code HOSTED_SERVICE_SECRET} and {@code WORKSPACE_NAMESPACE}). A data plane holding the secret serves every
 * workspace of this control plane: it reads {@code GET /data-plane/v1/namespaces/<namespace>/config} and any
 * workspace's transformation code. An empty secret turns the instance-wide access off (workspace tokens only).
 *
 * @param namespace the one namespace this control plane serves; it holds every workspace
 * @param publicUrl the gateway as SDKs reach it ({@code GATEWAY_PUBLIC_URL}): written into the web app's snippets
 */
@ConfigurationProperties("configbackend.data-plane")
public record DataPlaneProperties(
        @DefaultValue("default") String namespace,
        @DefaultValue("") String secret,
        @DefaultValue("http://127.0.0.1:8080") String publicUrl) {}
