package dev.eventpipe.gateway.reply;

import dev.eventpipe.model.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * One answer of an ingestion route. Bodies are RudderStack's (rs:gateway/response/response.go): success is exactly
 * {@code ok}; an error is written like Go's {@code http.Error}: the message plus {@code \n}, {@code text/plain;
 * charset=utf-8} and {@code X-Content-Type-Options: nosniff}. SDKs compare these strings, so they never change.
 *
 * @param result the bounded metric tag of this outcome ({@code ok}, {@code invalid_json}, ...)
 * @param retryAfter sent as {@code Retry-After} (whole seconds, rounded up) when present
 */
public record Reply(
        int status, String message, String result, @Nullable Duration retryAfter) {
    private static final MediaType TEXT = MediaType.parseMediaType("text/plain; charset=utf-8");

    public static final Reply OK = new Reply(200, "ok", "ok", null);
    public static final Reply INVALID_JSON = error(400, "invalid json", "invalid_json");
    public static final Reply NOT_RUDDER_EVENT = error(400, "event is not a valid rudder event", "not_rudder_event");
    public static final Reply NON_IDENTIFIABLE =
            error(400, "request neither has anonymousId nor userId", "non_identifiable");
    public static final Reply EMPTY_BATCH = error(400, "empty batch payload", "empty_batch");
    public static final Reply TOO_LARGE = error(413, "request size exceeds max limit", "too_large");
    public static final Reply NO_WRITE_KEY = error(401, "failed to read writekey from header", "no_write_key");
    public static final Reply NO_WRITE_KEY_IN_QUERY =
            error(401, "failed to read writekey from query params", "no_write_key");
    public static final Reply INVALID_WRITE_KEY = error(401, "invalid write key", "invalid_write_key");
    public static final Reply SOURCE_DISABLED = error(404, "source is disabled", "source_disabled");
    public static final Reply READ_FAILED = error(500, "failed to read body from request", "read_failed");
    public static final Reply GATEWAY_TIMEOUT = error(504, "gateway timeout", "timeout");
    /** Overload or an unavailable database: the bounded queue is full, or the last commit failed moments ago. */
    public static final Reply UNAVAILABLE = error(503, "Service Unavailable", "unavailable");

    /** The job tables are past their storage budget: 503 with Retry-After, which SDKs honour by retrying later. */
    public static Reply storageFull(Duration retryAfter) {
        return new Reply(503, "Service Unavailable", "storage_full", retryAfter);
    }

    public static Reply rateLimited(Duration retryAfter) {
        return new Reply(429, "max requests limit reached", "rate_limited", retryAfter);
    }

    /**
     * A failed commit: 500, which SDKs retry. RudderStack sends the database's error text here; it may quote other
     * requests' values, so the body is fixed and the detail goes to the log only.
     */
    public static final Reply STORE_FAILED = error(500, "internal server error", "store_failed");

    private static Reply error(int status, String message, String result) {
        return new Reply(status, message, result, null);
    }

    public boolean ok() {
        return status == 200;
    }

    public String body() {
        return ok() ? message : message + "\n";
    }

    public ResponseEntity<byte[]> toResponse() {
        return toResponse(ReplyStyle.RUDDERSTACK);
    }

    /**
     * The answer in the client's dialect: RudderStack's exact bodies, or for Segment's clients the JSON they parse
     * ({@code {"success":true}}; an error is {@code {"success":false,"message":"<RudderStack's message>"}}). The
     * status code and {@code Retry-After} are the same in both.
     */
    public ResponseEntity<byte[]> toResponse(ReplyStyle style) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status);
        if (!ok()) builder.header("X-Content-Type-Options", "nosniff");
        if (retryAfter != null) {
            long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
            builder.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        return switch (style) {
            case RUDDERSTACK -> builder.contentType(TEXT).body(body().getBytes(StandardCharsets.UTF_8));
            case SEGMENT -> builder.contentType(MediaType.APPLICATION_JSON).body(segmentBody());
        };
    }

    private byte[] segmentBody() {
        if (ok()) return "{\"success\":true}".getBytes(StandardCharsets.UTF_8);
        return Json.write(Map.of("success", false, "message", message));
    }
}
