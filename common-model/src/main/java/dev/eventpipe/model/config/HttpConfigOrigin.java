package dev.eventpipe.model.config;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Polls the control plane's {@code GET /workspaceConfig?fetchAll=true} with HTTP Basic auth (workspace token as
 * user name, empty password, as RudderStack does) and {@code If-None-Match}, so an unchanged config costs a 304.
 */
public final class HttpConfigOrigin implements ConfigOrigin {
    private final HttpClient http;
    private final URI uri;
    private final String authorization;
    private final Duration timeout;

    public HttpConfigOrigin(String backendUrl, String workspaceToken, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.uri = URI.create(backendUrl.replaceAll("/+$", "") + "/workspaceConfig?fetchAll=true");
        this.authorization =
                "Basic " + Base64.getEncoder().encodeToString((workspaceToken + ":").getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
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
}
