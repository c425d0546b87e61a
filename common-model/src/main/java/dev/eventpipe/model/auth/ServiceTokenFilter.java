package dev.eventpipe.model.auth;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Answers 401 to every request without the installation's {@link ServiceToken}, except the health endpoints
 * ({@code /health}, {@code /health/live}) that probes call. Without a configured token every other request is
 * refused: a service never runs open because a variable was forgotten.
 */
public final class ServiceTokenFilter implements Filter {
    private static final Set<String> OPEN = Set.of("/health", "/health/live");

    private final Optional<ServiceToken> token;

    public ServiceTokenFilter(Optional<ServiceToken> token) {
        this.token = token;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        // The raw URI on purpose, and only an exact match: a raw URI equal to "/health" is dispatched to /health,
        // and every other spelling (";x=1", "//", escapes, dot segments, which the container and Spring MVC resolve
        // to some route) needs the token. A prefix or pattern test on the raw URI would be the mistake that
        // WorkspaceScopeFilter had; RelayRoute and TokenAuthenticationFilter's list follow the same rule.
        String path = http.getRequestURI().substring(http.getContextPath().length());
        if (OPEN.contains(path)
                || token.map(t -> t.accepts(http.getHeader("Authorization"))).orElse(false)) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse answer = (HttpServletResponse) response;
        answer.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        answer.setHeader("WWW-Authenticate", "Bearer");
        answer.setContentType("application/problem+json");
        String detail = token.isPresent()
                ? "this service answers only callers that send Authorization: Bearer <SERVICE_TOKEN>"
                : "SERVICE_TOKEN is not set on this service, so it answers no one";
        answer.getOutputStream()
                .write(("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"" + detail
                                + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
    }
}
