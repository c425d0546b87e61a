package dev.eventpipe.configbackend.access;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

/**
 * The web app's session: the log-in's session token in an {@code HttpOnly}, {@code SameSite=Strict} cookie, so that no
 * script in the page can read it (issue 14, SECURITY.md "The web app's session"). It lasts no longer than the session
 * itself.
 *
 * <p>{@code Secure} follows {@code configbackend.security.session-cookie-secure} ({@code SESSION_COOKIE_SECURE}):
 * {@code auto} (the default) when the request came over HTTPS as the container sees it (directly, or through a
 * proxy's {@code X-Forwarded-Proto} when Spring Boot is set to trust it, {@code server.forward-headers-strategy}),
 * {@code always} (a TLS proxy in front that the container does not trust or is not told about), {@code never}. A
 * {@code Secure} cookie is named {@value #SECURE_NAME}: the browser then takes it only from this host over HTTPS with
 * {@code Path=/} and no {@code Domain}, so a sibling subdomain cannot plant one. A request is read with the one name
 * this server would set for it, and a request that sends that name more than once has no session (one of them was
 * planted, and which is ours cannot be told).
 *
 * <p>Cross-site request forgery: a request authenticated by the cookie with an unsafe method (anything but GET, HEAD,
 * OPTIONS, TRACE) must carry {@value #CSRF_HEADER}; a page of another origin cannot send that header without a CORS
 * preflight, which this server does not grant. A browser's {@code Sec-Fetch-Site} saying the request came from
 * another site or origin refuses it too, and refuses a log-in as well.
 */
@Component
public final class SessionCookie {
    /** The cookie's name when it is not {@code Secure} (plain HTTP). */
    public static final String NAME = "eventpipe_session";
    /** The cookie's name when it is {@code Secure}. */
    public static final String SECURE_NAME = "__Host-" + NAME;
    /** The header the web app sends with every call; required on cookie-authenticated unsafe methods. */
    public static final String CSRF_HEADER = "X-Eventpipe-Csrf";

    private static final String PRESENTED = SessionCookie.class.getName() + ".token";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    /** When the cookie is {@code Secure}. */
    public enum SecureMode {
        /** When the request is HTTPS as the container sees it. */
        AUTO,
        ALWAYS,
        NEVER;

        static SecureMode parse(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "", "auto" -> AUTO;
                case "always" -> ALWAYS;
                case "never" -> NEVER;
                default ->
                    throw new IllegalArgumentException("configbackend.security.session-cookie-secure"
                            + " (SESSION_COOKIE_SECURE) must be auto, always or never, not '" + value + "'");
            };
        }
    }

    private final SecureMode mode;

    @Autowired
    SessionCookie(@Value("${configbackend.security.session-cookie-secure:auto}") String mode) {
        this(SecureMode.parse(mode));
    }

    SessionCookie(SecureMode mode) {
        this.mode = mode;
    }

    /** Whether the cookie set in answer to this request is {@code Secure}. */
    boolean secure(HttpServletRequest request) {
        return switch (mode) {
            case AUTO -> request.isSecure();
            case ALWAYS -> true;
            case NEVER -> false;
        };
    }

    /** The cookie's name for this request: the one set in its answer, and the only one read from it. */
    String name(HttpServletRequest request) {
        return secure(request) ? SECURE_NAME : NAME;
    }

    /**
     * Whether the answer tells the browser to use HTTPS only for this host (Strict-Transport-Security): when the
     * request is HTTPS as the container sees it, or when the installation says it always is.
     */
    boolean strictTransport(HttpServletRequest request) {
        return request.isSecure() || mode == SecureMode.ALWAYS;
    }

    /**
     * The session token of the request's cookie, if it sends exactly one cookie of this request's name with a value;
     * none when it sends two or more (a cookie planted beside ours, e.g. by a sibling subdomain with another path).
     */
    public Optional<String> read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) return Optional.empty();
        String name = name(request);
        String found = null;
        for (Cookie cookie : cookies) {
            if (!name.equals(cookie.getName())) continue;
            if (found != null) return Optional.empty();
            found = cookie.getValue() == null ? "" : cookie.getValue();
        }
        return found == null || found.isBlank() ? Optional.empty() : Optional.of(found);
    }

    /** Sets the cookie for a session that was just opened; it expires with the session. */
    public void set(HttpServletRequest request, HttpServletResponse response, String token, Instant expiresAt) {
        long seconds = Math.max(0, Duration.between(Instant.now(), expiresAt).getSeconds());
        response.addHeader(
                HttpHeaders.SET_COOKIE, cookie(request, token, seconds).toString());
    }

    /** Tells the browser to drop the cookie (log-out, a session that no longer exists). */
    public void clear(HttpServletRequest request, HttpServletResponse response) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie(request, "", 0).toString());
    }

    private ResponseCookie cookie(HttpServletRequest request, String value, long maxAgeSeconds) {
        return ResponseCookie.from(name(request), value)
                .httpOnly(true)
                .secure(secure(request))
                .sameSite("Strict")
                .path("/")
                .maxAge(maxAgeSeconds)
                .build();
    }

    /** Whether the request asked for the web app's treatment (it sends {@value #CSRF_HEADER} on every call). */
    public static boolean fromWebApp(HttpServletRequest request) {
        String value = request.getHeader(CSRF_HEADER);
        return value != null && !value.isBlank();
    }

    /** Whether the browser says the request was made by a page of another site or origin ({@code Sec-Fetch-Site}). */
    static boolean crossSite(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        return site != null && !site.equals("same-origin") && !site.equals("none");
    }

    /**
     * Why a request that the cookie would authenticate is refused as possibly forged, or null when it is not: an
     * unsafe method needs {@value #CSRF_HEADER}, and must not be marked by the browser as coming from another site or
     * origin.
     */
    static @Nullable String forgeryReason(HttpServletRequest request) {
        if (SAFE_METHODS.contains(request.getMethod())) return null;
        if (crossSite(request)) {
            return "a request from another site or origin (Sec-Fetch-Site) cannot use the session cookie";
        }
        if (!fromWebApp(request)) {
            return "a request authenticated by the session cookie must send the " + CSRF_HEADER + " header";
        }
        return null;
    }

    /** Remembers which session token authenticated the request (cookie or bearer), for log-out and password changes. */
    static void remember(HttpServletRequest request, String token) {
        request.setAttribute(PRESENTED, token);
    }

    /** The session token that authenticated the request, if a session did. */
    public static Optional<String> presented(HttpServletRequest request) {
        return Optional.ofNullable((String) request.getAttribute(PRESENTED));
    }
}
