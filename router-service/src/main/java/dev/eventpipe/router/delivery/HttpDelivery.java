package dev.eventpipe.router.delivery;

import dev.eventpipe.model.egress.EgressPolicy;
import dev.eventpipe.model.egress.EgressRefusedException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Sends one {@link DeliveryRequest} and classifies the answer as RudderStack does (rs:router/network.go,
 * rs:router/misc.go): 2xx delivered, 408/429/5xx retryable, other 4xx rejected; a timeout or network error is a
 * retryable 504. The whole exchange, body included, has the destination's timeout; redirects are followed (up to
 * 10). Every address dialled is judged by the egress policy: a refused one aborts the job (403) with a reason that
 * names {@code EGRESS_ALLOW}. A failed response's body is read up to {@link #MAX_BODY_BYTES} and kept only when it
 * is text; a successful response's body is not kept at all (it may hold what a tenant should not read back).
 */
@Component
public class HttpDelivery implements AutoCloseable {
    static final int MAX_BODY_BYTES = 10 * 1024;
    private static final Set<String> RESTRICTED =
            Set.of("connection", "content-length", "host", "expect", "upgrade", "transfer-encoding", "te");

    /** The body types {@link DeliveryRequest} names, parsed once (as {@code ContentType.parse} reads them). */
    private static final Map<String, ContentType> BODY_TYPES = Map.of(
            "application/json", ContentType.parse("application/json"),
            "application/xml", ContentType.parse("application/xml"),
            "application/x-www-form-urlencoded", ContentType.parse("application/x-www-form-urlencoded"));
    /** Parsed endpoints: a destination's deliveries mostly go to one URL; cleared when it holds too many. */
    private static final int MAX_URIS = 1024;

    private final TimedHttpClient client;
    private final Map<String, URI> uris = new ConcurrentHashMap<>();

    HttpDelivery(EgressPolicy egress) {
        this.client = TimedHttpClient.forDestinations(egress);
    }

    public DeliveryResult send(DeliveryRequest request, Duration timeout) {
        HttpUriRequestBase http;
        try {
            http = build(request);
        } catch (IllegalArgumentException e) {
            return new DeliveryResult.Rejected(400, "invalid request: " + e.getMessage(), "text/plain");
        }
        try {
            TimedHttpClient.Answer answer = client.exchange(http, timeout, MAX_BODY_BYTES);
            String contentType = Objects.requireNonNullElse(answer.header("content-type"), "");
            String body = answer.status() >= 200 && answer.status() < 300 ? "" : text(answer.body(), contentType);
            return classify(answer.status(), body, contentType, retryAfter(answer.header("retry-after")));
        } catch (TimedHttpClient.DeadlineExceededException e) {
            return new DeliveryResult.Retryable(504, "request timed out: " + e.getMessage(), "text/plain", null);
        } catch (IOException e) {
            EgressRefusedException refused = EgressRefusedException.in(e);
            if (refused != null)
                return new DeliveryResult.Rejected(403, "not sent: " + refused.getMessage(), "text/plain");
            return new DeliveryResult.Retryable(504, "network error: " + e, "text/plain", null);
        }
    }

    public static DeliveryResult classify(int status, String body, String contentType, @Nullable Duration retryAfter) {
        if (status >= 200 && status < 300) return new DeliveryResult.Delivered(status, body, contentType);
        if (status == 408 || status == 429 || status >= 500 || status < 200)
            return new DeliveryResult.Retryable(status, body, contentType, retryAfter);
        return new DeliveryResult.Rejected(status, body, contentType);
    }

    private HttpUriRequestBase build(DeliveryRequest request) {
        HttpUriRequestBase http = new HttpUriRequestBase(request.method(), uri(request.uri()));
        boolean contentTypeSet = false;
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (RESTRICTED.contains(name) || name.equals("user-agent")) continue;
            contentTypeSet |= name.equals("content-type");
            http.addHeader(h.getKey(), h.getValue());
        }
        http.setHeader("User-Agent", "RudderLabs");
        if (request.body() != null) {
            ContentType type = contentTypeSet || request.bodyType() == null ? null : contentType(request.bodyType());
            http.setEntity(new ByteArrayEntity(request.body(), type));
        }
        return http;
    }

    /** {@code URI.create(uri)}, parsed once per distinct URL (a {@link URI} is immutable). */
    private URI uri(String uri) {
        URI parsed = uris.get(uri);
        if (parsed != null) return parsed;
        parsed = URI.create(uri); // an IllegalArgumentException is not kept
        if (uris.size() >= MAX_URIS) uris.clear();
        uris.put(uri, parsed);
        return parsed;
    }

    private static ContentType contentType(String bodyType) {
        ContentType known = BODY_TYPES.get(bodyType);
        return known != null ? known : ContentType.parse(bodyType);
    }

    private static String text(byte[] bytes, String contentType) {
        if (bytes.length == 0) return "";
        if (!isText(contentType)) return "redacted due to unsupported content-type";
        String text = new String(bytes, StandardCharsets.UTF_8);
        // a cut in the middle of a multi-byte character leaves U+FFFD at the end; drop it
        return bytes.length == MAX_BODY_BYTES && text.endsWith("\uFFFD") ? text.substring(0, text.length() - 1) : text;
    }

    private static boolean isText(String contentType) {
        String ct = contentType.toLowerCase(Locale.ROOT);
        return ct.isEmpty()
                || ct.startsWith("text/")
                || Arrays.stream(new String[] {"json", "xml", "javascript", "x-www-form-urlencoded"})
                        .anyMatch(ct::contains);
    }

    /** Retry-After in seconds (the HTTP-date form is rare from APIs and is ignored). */
    static @Nullable Duration retryAfter(@Nullable String value) {
        if (value == null || !value.trim().matches("\\d{1,9}")) return null;
        return Duration.ofSeconds(Long.parseLong(value.trim()));
    }

    @Override
    public void close() {
        client.close();
    }
}
