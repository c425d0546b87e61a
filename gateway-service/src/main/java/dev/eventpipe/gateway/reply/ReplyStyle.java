package dev.eventpipe.gateway.reply;

import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;

/**
 * Which client dialect an ingestion answer is written in. RudderStack's SDKs and curl get RudderStack's exact bodies
 * ({@code ok}, {@code invalid write key\n}...); Segment's clients get Segment's JSON, because Segment's Java SDK
 * parses {@code {"success":true}} and retries on anything else. A request is Segment's when any of these holds:
 *
 * <ul>
 *   <li>it uses a route only Segment's clients use: analytics.js's short routes {@code /v1/t}, {@code /p},
 *       {@code /i}, {@code /g}, {@code /a}, {@code /s}, {@code /b}, {@code /m};
 *   <li>its path ends with a slash (Segment's Java SDK posts to {@code /v1/import/}; RudderStack's SDKs never add
 *       one);
 *   <li>its write key came in the body's {@code writeKey} because it sent no {@code Authorization} (Segment's server
 *       SDKs; every RudderStack SDK sends Basic auth).
 * </ul>
 *
 * Nothing else is looked at: RudderStack's Java SDK sends the same {@code User-Agent} ({@code analytics-java/...}) as
 * Segment's, so the client's name cannot decide.
 */
public enum ReplyStyle {
    RUDDERSTACK,
    SEGMENT;

    private static final Pattern SEGMENT_ROUTE = Pattern.compile("/v1/[tpigasbm]/?");

    public static ReplyStyle of(HttpServletRequest request, boolean writeKeyFromBody) {
        String path = request.getRequestURI();
        boolean segment = writeKeyFromBody
                || path.endsWith("/")
                || SEGMENT_ROUTE.matcher(path).matches();
        return segment ? SEGMENT : RUDDERSTACK;
    }
}
