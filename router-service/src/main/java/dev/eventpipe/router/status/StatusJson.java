package dev.eventpipe.router.status;

import dev.eventpipe.model.json.Json;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;

/** The {@code error_response} documents the router writes, in RudderStack's shapes. */
public final class StatusJson {
    private StatusJson() {}

    /** Json.mapper()'s generator settings, without a serialisation context and a map per document. */
    private static final ObjectWriteContext WRITE = Json.generatorContext(Json.mapper());

    /**
     * After an attempt: the bounded response, when the job was first attempted, the response's content type. Written
     * for every delivery, so without a map: as it is when neither text holds a character JSON escapes (the usual 2xx,
     * whose body is not kept: 2 % of the router's CPU samples went to the generator, issue 16), else by a generator;
     * either way the text {@code Json.writeString} makes of a map of the three ({@code StatusJsonTest}).
     */
    public static String attempt(String response, Instant firstAttemptedAt, String contentType) {
        // the usual answer (no body kept after a 2xx, a plain content type) has nothing to escape: written as it is
        if (plain(response) && plain(contentType))
            return "{\"response\":\"" + response + "\",\"firstAttemptedAt\":\"" + firstAttemptedAt
                    + "\",\"content-type\":\"" + contentType + "\"}";
        StringWriter out = new StringWriter(response.length() + contentType.length() + 80);
        try (JsonGenerator g = Json.mapper().tokenStreamFactory().createGenerator(WRITE, out)) {
            g.writeStartObject();
            g.writeStringProperty("response", response);
            g.writeStringProperty("firstAttemptedAt", firstAttemptedAt.toString());
            g.writeStringProperty("content-type", contentType);
            g.writeEndObject();
        }
        return out.toString();
    }

    /** Printable ASCII without a quote or a backslash: JSON's escaping leaves such a text as it is. */
    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
        }
        return true;
    }

    /** A job held behind an earlier failing job of the same user. */
    public static String waiting(long blockingJobId, String userId, @Nullable Instant firstAttemptedAt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("blocking_id", blockingJobId);
        m.put("user_id", userId);
        if (firstAttemptedAt != null) m.put("firstAttemptedAt", firstAttemptedAt.toString());
        return Json.writeString(m);
    }

    /**
     * A job that went out in one batch with its user's earlier job, which failed: it is sent again after that
     * one, so it waits (RudderStack writes {@code "attempted to send in a batch"} here too).
     */
    public static String waitingAfterBatch(
            long blockingJobId, String userId, @Nullable Instant firstAttemptedAt, String response) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("blocking_id", blockingJobId);
        m.put("user_id", userId);
        m.put("moreinfo", "attempted to send in a batch");
        m.put("response", response);
        if (firstAttemptedAt != null) m.put("firstAttemptedAt", firstAttemptedAt.toString());
        return Json.writeString(m);
    }

    /** A job taken off the queue without a delivery (drain, shutdown, no usable batch plan). */
    public static String reason(String reason, @Nullable Instant firstAttemptedAt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reason", reason);
        if (firstAttemptedAt != null) m.put("firstAttemptedAt", firstAttemptedAt.toString());
        return Json.writeString(m);
    }

    /** The key of an abort whose job the destination had accepted: such a job is never replayed. */
    public static final String DELIVERED_KEY = "delivered";

    /** A fixed document for an abort of a delivered job, holding nothing from the request or the destination. */
    public static final String DELIVERED = "{\"" + DELIVERED_KEY + "\":true}";

    /** An abort written because the database refused the job's status; {@code delivered}: the destination took it. */
    public static String refusedAbort(String reason, boolean delivered, @Nullable Instant firstAttemptedAt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reason", reason);
        if (delivered) m.put(DELIVERED_KEY, true);
        if (firstAttemptedAt != null) m.put("firstAttemptedAt", firstAttemptedAt.toString());
        return Json.writeString(m);
    }

    public static String executing(@Nullable Instant firstAttemptedAt) {
        return firstAttemptedAt == null
                ? "{}"
                : Json.writeString(Map.of("firstAttemptedAt", firstAttemptedAt.toString()));
    }
}
