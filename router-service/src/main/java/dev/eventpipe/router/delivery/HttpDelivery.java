package dev.eventpipe.router.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Sends one {@link DeliveryRequest} and classifies the answer as RudderStack does (rs:router/network.go,
 * rs:router/misc.go): 2xx delivered, 408/429/5xx retryable, other 4xx rejected; a timeout or network error is a
 * retryable 504. The response body is read up to {@link #MAX_BODY_BYTES} and kept only when it is text.
 */
@Component
public class HttpDelivery {
    static final int MAX_BODY_BYTES = 10 * 1024;
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "host", "expect", "upgrade");

    private final HttpClient client;

    HttpDelivery(HttpClient client) {
        this.client = client;
    }

    public DeliveryResult send(DeliveryRequest request, Duration timeout) {
        HttpRequest http;
        try {
            http = build(request, timeout);
        } catch (IllegalArgumentException e) {
            return new DeliveryResult.Rejected(400, "invalid request: " + e.getMessage(), "text/plain");
        }
        try {
            HttpResponse<InputStream> response = client.send(http, HttpResponse.BodyHandlers.ofInputStream());
            String contentType = response.headers().firstValue("content-type").orElse("");
            String body = readBounded(response.body(), contentType);
            return classify(response.statusCode(), body, contentType, retryAfter(response));
        } catch (HttpTimeoutException e) {
            return new DeliveryResult.Retryable(504, "request timed out after " + timeout, "text/plain", null);
        } catch (IOException e) {
            return new DeliveryResult.Retryable(504, "network error: " + e, "text/plain", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeliveryResult.Retryable(504, "router stopped during the request", "text/plain", null);
        }
    }

    public static DeliveryResult classify(int status, String body, String contentType, @Nullable Duration retryAfter) {
        if (status >= 200 && status < 300) return new DeliveryResult.Delivered(status, body, contentType);
        if (status == 408 || status == 429 || status >= 500 || status < 200)
            return new DeliveryResult.Retryable(status, body, contentType, retryAfter);
        return new DeliveryResult.Rejected(status, body, contentType);
    }

    private HttpRequest build(DeliveryRequest request, Duration timeout) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(request.uri())).timeout(timeout);
        boolean contentTypeSet = false;
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (RESTRICTED.contains(name)) continue;
            contentTypeSet |= name.equals("content-type");
            b.header(h.getKey(), h.getValue());
        }
        b.setHeader("User-Agent", "RudderLabs");
        if (!contentTypeSet && request.bodyType() != null) b.header("Content-Type", request.bodyType());
        HttpRequest.BodyPublisher body = request.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body());
        return b.method(request.method(), body).build();
    }

    private static String readBounded(InputStream in, String contentType) throws IOException {
        try (in) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES);
            // a longer body is not drained: closing the stream drops that one connection, which bounds the read
            if (bytes.length == 0) return "";
            if (!isText(contentType)) return "redacted due to unsupported content-type";
            String text = new String(bytes, StandardCharsets.UTF_8);
            // a cut in the middle of a multi-byte character leaves U+FFFD at the end; drop it
            return bytes.length == MAX_BODY_BYTES && text.endsWith("\uFFFD")
                    ? text.substring(0, text.length() - 1)
                    : text;
        }
    }

    private static boolean isText(String contentType) {
        String ct = contentType.toLowerCase(Locale.ROOT);
        return ct.isEmpty()
                || ct.startsWith("text/")
                || Arrays.stream(new String[] {"json", "xml", "javascript", "x-www-form-urlencoded"})
                        .anyMatch(ct::contains);
    }

    /** Retry-After in seconds (the HTTP-date form is rare from APIs and is ignored). */
    private static @Nullable Duration retryAfter(HttpResponse<?> response) {
        return response.headers()
                .firstValue("retry-after")
                .map(String::trim)
                .filter(v -> v.matches("\\d{1,7}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v)))
                .orElse(null);
    }
}
