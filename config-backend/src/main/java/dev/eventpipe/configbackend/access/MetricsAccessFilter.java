package dev.eventpipe.configbackend.access;

import dev.eventpipe.model.auth.ServiceToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may read {@code /actuator/**} beyond health (review P2-7): a scraper holding the installation's
 * {@code SERVICE_TOKEN} (as for the data-plane services' metrics), or a logged-in instance administrator (bearer token,
 * or the web app's session cookie for a read). Metrics
 * name workspaces, sources and request rates: they are not for anyone on the network.
 */
final class MetricsAccessFilter extends OncePerRequestFilter {
    static final String AUTHORITY = "METRICS";

    private final TokenResolver tokens;
    private final SessionCookie cookies;

    MetricsAccessFilter(TokenResolver tokens, SessionCookie cookies) {
        this.tokens = tokens;
        this.cookies = cookies;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header != null ? allowed(header.trim()) : allowedByCookie(request)) {
            SecurityContextHolder.getContext()
                    .setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                            "metrics", "", List.of(new SimpleGrantedAuthority(AUTHORITY))));
        }
        chain.doFilter(request, response);
    }

    /** An instance admin's browser: reads (metrics are only read) with the web app's session cookie. */
    private boolean allowedByCookie(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) return false;
        return cookies.read(request)
                .flatMap(tokens::session)
                .map(MetricsAccessFilter::admin)
                .orElse(false);
    }

    private static boolean admin(Caller caller) {
        return caller instanceof Caller.Person p && p.instanceAdmin() && !p.mustChangePassword();
    }

    private boolean allowed(String header) {
        if (ServiceToken.fromEnvironment().map(t -> t.accepts(header)).orElse(false)) return true;
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        return tokens.bearer(header.substring(7).trim())
                .map(MetricsAccessFilter::admin)
                .orElse(false);
    }
}
