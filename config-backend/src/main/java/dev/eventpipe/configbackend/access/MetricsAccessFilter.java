package dev.eventpipe.configbackend.access;

import dev.eventpipe.model.auth.ServiceToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may read {@code /actuator/**} beyond health (review P2-7): a scraper holding the installation's
 * {@code SERVICE_TOKEN} (as for the data-plane services' metrics), or a logged-in instance administrator. Metrics
 * name workspaces, sources and request rates: they are not for anyone on the network.
 */
final class MetricsAccessFilter extends OncePerRequestFilter {
    static final String AUTHORITY = "METRICS";

    private final TokenResolver tokens;

    MetricsAccessFilter(TokenResolver tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header != null && allowed(header.trim())) {
            SecurityContextHolder.getContext()
                    .setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                            "metrics", "", List.of(new SimpleGrantedAuthority(AUTHORITY))));
        }
        chain.doFilter(request, response);
    }

    private boolean allowed(String header) {
        if (ServiceToken.fromEnvironment().map(t -> t.accepts(header)).orElse(false)) return true;
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        Optional<Caller> caller = tokens.bearer(header.substring(7).trim());
        return caller.isPresent()
                && caller.get() instanceof Caller.Person p
                && p.instanceAdmin()
                && !p.mustChangePassword();
    }
}
