package dev.eventpipe.gateway.ingest;

import jakarta.servlet.http.HttpServletRequest;

/**
 * What the gateway keeps from a request besides its body (rs:gateway/handle.go, rs:gateway/handle_http_auth.go).
 *
 * @param anonymousIdHeader the {@code AnonymousId} header, first part of every job's user key ("" when absent)
 * @param ip the first {@code X-Forwarded-For} entry (spaces removed), else the peer address
 */
record RequestMeta(String anonymousIdHeader, String ip, String jobRunId, String taskRunId, String traceparent) {

    static RequestMeta of(HttpServletRequest request) {
        return new RequestMeta(
                header(request, "AnonymousId"),
                clientIp(request),
                header(request, "X-Rudder-Job-Run-Id"),
                header(request, "X-Rudder-Task-Run-Id"),
                header(request, "traceparent"));
    }

    static String clientIp(HttpServletRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            int comma = forwarded.indexOf(',');
            String first = comma < 0 ? forwarded : forwarded.substring(0, comma);
            return first.replace(" ", "");
        }
        return request.getRemoteAddr();
    }

    private static String header(HttpServletRequest request, String name) {
        String value = request.getHeader(name);
        return value == null ? "" : value;
    }
}
