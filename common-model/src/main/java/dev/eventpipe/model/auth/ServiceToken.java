package dev.eventpipe.model.auth;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The secret shared by the services of one installation (environment variable {@value #ENV}). The transformer,
 * processor, router and warehouse answer only requests that carry {@code Authorization: Bearer <token>} (except
 * {@code /health} and {@code /health/live}); their callers send it. Comparison is constant-time.
 */
public final class ServiceToken {
    /** The environment variable (and Spring property) that holds the token. */
    public static final String ENV = "SERVICE_TOKEN";

    private static final String BEARER = "Bearer ";
    private final byte[] value;
    private final String header;

    private ServiceToken(String value) {
        this.value = value.getBytes(StandardCharsets.UTF_8);
        this.header = BEARER + value;
    }

    /** The token, or empty when {@code value} is null or blank (the services then refuse every call). */
    public static Optional<ServiceToken> of(@Nullable String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(new ServiceToken(value.strip()));
    }

    /** The token of this process: system property {@value #ENV}, else environment variable {@value #ENV}. */
    public static Optional<ServiceToken> fromEnvironment() {
        String property = System.getProperty(ENV);
        return of(property != null ? property : System.getenv(ENV));
    }

    /** Adds this process's token (see {@link #fromEnvironment()}), if it has one, to a request to another service. */
    public static HttpRequest.Builder authorize(HttpRequest.Builder request) {
        fromEnvironment().ifPresent(token -> request.header("Authorization", token.authorization()));
        return request;
    }

    /** The value of the {@code Authorization} header a caller sends. */
    public String authorization() {
        return header;
    }

    /** Whether an {@code Authorization} header carries this token. */
    public boolean accepts(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] presented = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, value);
    }

    @Override
    public String toString() {
        return "ServiceToken[****]";
    }
}
