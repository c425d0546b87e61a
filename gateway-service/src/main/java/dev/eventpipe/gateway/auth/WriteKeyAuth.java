package dev.eventpipe.gateway.auth;

import dev.eventpipe.gateway.reply.Reply;
import dev.eventpipe.model.config.Source;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Finds the source of a request by its write key, as rs:gateway/handle_http_auth.go: {@code Authorization: Basic
 * base64(writeKey:)} (the password is ignored) or, for beacon, pixel and webhook, the {@code writeKey} query
 * parameter. Lookups read the config index that the config client swaps atomically, so they never block.
 */
@Component
public class WriteKeyAuth {
    private final WorkspaceConfigClient config;

    WriteKeyAuth(WorkspaceConfigClient config) {
        this.config = config;
    }

    /** Basic auth only: the SDK routes. */
    public AuthResult byHeader(HttpServletRequest request) {
        String key = basicUser(request.getHeader("Authorization"));
        return key == null || key.isEmpty() ? new AuthResult.Denied(Reply.NO_WRITE_KEY) : lookup(key, false);
    }

    /** A write key read elsewhere (the body's {@code writeKey} of Segment's server SDKs). */
    public AuthResult byKey(String writeKey) {
        return lookup(writeKey, false);
    }

    /** The write key of a request: Basic auth's user name, else the {@code writeKey} query parameter; null if none. */
    public static @Nullable String keyOf(HttpServletRequest request) {
        String key = basicUser(request.getHeader("Authorization"));
        if (key == null || key.isEmpty()) key = queryParam(request, "writeKey");
        return key == null || key.isEmpty() ? null : key;
    }

    /** Query parameter only: beacon and pixel. */
    public AuthResult byQuery(HttpServletRequest request) {
        String key = queryParam(request, "writeKey");
        return key == null || key.isEmpty() ? new AuthResult.Denied(Reply.NO_WRITE_KEY_IN_QUERY) : lookup(key, false);
    }

    /** Query parameter, else Basic auth; the source must be a webhook source. */
    public AuthResult forWebhook(HttpServletRequest request) {
        String key = queryParam(request, "writeKey");
        if (key == null || key.isEmpty()) key = basicUser(request.getHeader("Authorization"));
        return key == null || key.isEmpty() ? new AuthResult.Denied(Reply.NO_WRITE_KEY_IN_QUERY) : lookup(key, true);
    }

    private AuthResult lookup(String writeKey, boolean webhook) {
        Optional<Source> found = config.current().sourceByWriteKey(writeKey);
        if (found.isEmpty() || (webhook && !found.get().isWebhook())) {
            return new AuthResult.Denied(Reply.INVALID_WRITE_KEY);
        }
        Source source = found.get();
        return source.enabled() ? new AuthResult.Authenticated(source) : new AuthResult.Denied(Reply.SOURCE_DISABLED);
    }

    /** The user name of a Basic authorization header, or null when there is none or it is malformed. */
    static @Nullable String basicUser(@Nullable String header) {
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
        String credentials = new String(decoded, StandardCharsets.UTF_8);
        int colon = credentials.indexOf(':');
        return colon < 0 ? null : credentials.substring(0, colon);
    }

    /**
     * Reads a query parameter from the raw query string. {@code getParameter} is avoided on purpose: for a form
     * content type it would consume the POST body, which the beacon route must read itself.
     */
    static @Nullable String queryParam(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        if (query == null) return null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(key).equals(name)) return eq < 0 ? "" : decode(pair.substring(eq + 1));
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
