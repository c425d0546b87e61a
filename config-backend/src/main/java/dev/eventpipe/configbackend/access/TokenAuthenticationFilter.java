package dev.eventpipe.configbackend.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request from its {@code Authorization} header: {@code Bearer <token>} for people and automation,
 * {@code Basic base64(<workspace token>:)} for the data plane (RudderStack's scheme). On the API, a request without
 * that header may be authenticated by the web app's session cookie ({@link SessionCookie}), with its defence against
 * cross-site request forgery: an unsafe method without the web app's header, or from another site, is 403 before the
 * session is even looked up. A log-in that the browser marks as coming from another site is 403 too (log-in CSRF). A missing or unknown token leaves the request anonymous; the security chain then
 * answers 401 (an unknown cookie is also cleared in the answer).
 */
final class TokenAuthenticationFilter extends OncePerRequestFilter {
    enum Scheme {
        BEARER,
        WORKSPACE_BASIC
    }

    private final TokenResolver tokens;
    private final Scheme scheme;
    private final SessionCookie cookies;

    TokenAuthenticationFilter(TokenResolver tokens, Scheme scheme, SessionCookie cookies) {
        this.tokens = tokens;
        this.scheme = scheme;
        this.cookies = cookies;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (scheme == Scheme.BEARER && isLogIn(request) && SessionCookie.crossSite(request)) {
            // log-in CSRF: a page of another site must not log the browser into an account of its choosing
            refuse(response, "a log-in from another site or origin (Sec-Fetch-Site) is refused", "");
            return;
        }
        String header = request.getHeader("Authorization");
        Optional<Caller> caller = Optional.empty();
        if (header != null) {
            // an explicit credential wins; a session cookie sent along is not looked at
            String credential = header.trim();
            caller = resolve(credential);
            if (caller.isPresent() && caller.get() instanceof Caller.Person) {
                SessionCookie.remember(request, credential.substring(7).trim());
            }
        } else if (scheme == Scheme.BEARER && isApi(request)) {
            Optional<String> cookie = cookies.read(request);
            if (cookie.isPresent()) {
                String forged = SessionCookie.forgeryReason(request);
                if (forged != null) {
                    refuse(response, forged, "");
                    return;
                }
                caller = tokens.session(cookie.get());
                if (caller.isPresent()) SessionCookie.remember(request, cookie.get());
                else cookies.clear(request, response); // expired, idle or logged out: the browser may drop it
            }
        }
        if (caller.isPresent()
                && caller.get() instanceof Caller.Person p
                && p.mustChangePassword()
                && !allowedBeforePasswordChange(request)) {
            refuse(
                    response,
                    "your password was set by someone else: change it first (PUT /api/v1/auth/password)",
                    ",\"passwordChangeRequired\":true");
            return;
        }
        caller.ifPresent(c -> SecurityContextHolder.getContext().setAuthentication(new CallerAuthentication(c)));
        chain.doFilter(request, response);
    }

    /** The session cookie authenticates the API only: pages and scripts of the web app need no database look-up. */
    private static boolean isApi(HttpServletRequest request) {
        return path(request).startsWith("/api/");
    }

    private static boolean isLogIn(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && path(request).equals("/api/v1/auth/login");
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    private static void refuse(HttpServletResponse response, String detail, String extra) throws IOException {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("application/problem+json");
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,\"detail\":\"" + detail + "\""
                        + extra + "}");
    }

    /**
     * What a session whose password someone else chose may call: change the password, and (so that the web app can
     * show why) read who is logged in, or log out (here or everywhere).
     */
    private static boolean allowedBeforePasswordChange(HttpServletRequest request) {
        String path = path(request);
        String method = request.getMethod();
        return ("PUT".equals(method) && path.equals("/api/v1/auth/password"))
                || ("GET".equals(method) && path.equals("/api/v1/auth/me"))
                || ("GET".equals(method) && path.equals("/api/v1/auth/session"))
                || ("POST".equals(method) && path.equals("/api/v1/auth/logout"))
                || ("POST".equals(method) && path.equals("/api/v1/auth/logout-all"));
    }

    private Optional<Caller> resolve(String header) {
        return switch (scheme) {
            case BEARER ->
                header.regionMatches(true, 0, "Bearer ", 0, 7)
                        ? tokens.bearer(header.substring(7).trim())
                        : Optional.empty();
            case WORKSPACE_BASIC -> header.regionMatches(true, 0, "Basic ", 0, 6) ? basic(header) : Optional.empty();
        };
    }

    private Optional<Caller> basic(String header) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        String user = colon < 0 ? decoded : decoded.substring(0, colon);
        return user.isEmpty() ? Optional.empty() : tokens.workspaceToken(user);
    }
}
