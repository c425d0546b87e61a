package dev.eventpipe.model.config;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Polls the control plane with HTTP Basic auth (the credential as user name, empty password, as RudderStack does)
 * and {@code If-None-Match}, so an unchanged config costs a 304: {@code GET /workspaceConfig?fetchAll=true} with a
 * workspace token (one workspace), or {@code GET /data-plane/v1/namespaces/<namespace>/config} with the
 * instance-wide secret (every workspace, RudderStack's multi-tenant shape).
 */
public final class HttpConfigOrigin implements ConfigOrigin {
    private final HttpClient http;
    private final URI uri;
    private final String authorization;
    private final Duration timeout;
    private final @Nullable String namespace;

    private HttpConfigOrigin(URI uri, String credential, Duration timeout, @Nullable String namespace) {
        this.namespace = namespace;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.uri = uri;
        this.authorization =
                "Basic " + Base64.getEncoder().encodeToString((credential + ":").getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
    }

    /** One workspace, by its workspace token. */
    public static HttpConfigOrigin workspace(String backendUrl, String workspaceToken, Duration timeout) {
        return new HttpConfigOrigin(
                URI.create(backendUrl.replaceAll("/+$", "") + "/workspaceConfig?fetchAll=true"),
                workspaceToken,
                timeout,
                null);
    }

    /** Every workspace of the namespace, by the instance-wide secret. */
    public static HttpConfigOrigin namespace(String backendUrl, String namespace, String secret, Duration timeout) {
        String path = "/data-plane/v1/namespaces/" + URLEncoder.encode(namespace, StandardCharsets.UTF_8) + "/config";
        return new HttpConfigOrigin(URI.create(backendUrl.replaceAll("/+$", "") + path), secret, timeout, namespace);
    }

    @Override
    public FetchResult fetch(@Nullable String lastTag) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json");
        if (lastTag != null) request.header("If-None-Match", lastTag);
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return switch (response.statusCode()) {
                case 200 ->
                    new FetchResult.Changed(
                            response.body(),
                            response.headers().firstValue("ETag").orElse(null));
                case 304 -> new FetchResult.Unchanged();
                default -> new FetchResult.Failed("config backend answered " + response.statusCode());
            };
        } catch (IOException e) {
            return new FetchResult.Failed("config backend unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FetchResult.Failed("interrupted");
        }
    }

    @Override
    public String mode() {
        return "API";
    }

    @Override
    public @Nullable String namespace() {
        return namespace;
    }
}
