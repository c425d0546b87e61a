package dev.eventpipe.model.auth;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Answers 400 to every call of a data-plane service's API ({@code /api/**}) that does not name exactly one
 * workspace in a {@code workspaceId} query parameter, whoever makes it (the service token is checked before, by
 * {@link ServiceTokenFilter}; holding it does not excuse the workspace). The controllers then read and change that
 * workspace's rows only. The config backend's relay always sends the one workspace it checked the caller's role
 * in, so a call without one is a caller's mistake that would otherwise see every tenant's data.
 *
 * <p>Routes that concern the installation rather than a tenant (an operator's "write the archive now") are listed
 * by the service as {@code METHOD /path} exemptions; {@code /health}, {@code /health/live} and {@code /actuator/**}
 * are outside {@code /api} and unaffected. Only the query string is read, never the body.
 *
 * <p>The path is the one the request is dispatched by: the servlet path (decoded, {@code ;} parameters removed,
 * {@code //}, {@code /./} and {@code /../} resolved by the container), as Spring Security matches it, not the raw
 * request URI. On the raw URI, {@code /api;x=1/v1/stats}, {@code //api/v1/stats} or {@code /%61pi/v1/stats} did not
 * start with {@code /api/} and went through without a workspace; Spring MVC dispatches {@code /api;x=1/v1/stats} and
 * {@code /%61pi/v1/stats} to {@code /api/v1/stats} (the others find no route, but are refused here all the same).
 * The {@code /api} prefix is compared without regard to case, so a change to case-insensitive
 * matching cannot open a way round either.
 */
public final class WorkspaceScopeFilter implements Filter {
    /** The query parameter that names the workspace a call is about. */
    public static final String PARAMETER = "workspaceId";

    private final Set<String> exempt;

    /** @param exempt routes under {@code /api} that need no workspace, as {@code "POST /api/v1/..."} */
    public WorkspaceScopeFilter(Set<String> exempt) {
        this.exempt = Set.copyOf(exempt);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String path = dispatchedPath(http);
        if (!path.regionMatches(true, 0, "/api/", 0, 5) || exempt.contains(http.getMethod() + " " + path)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<String> problem = problem(http.getQueryString());
        if (problem.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse answer = (HttpServletResponse) response;
        answer.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        answer.setContentType("application/problem+json");
        answer.getOutputStream()
                .write(("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\""
                                + problem.get() + "\",\"instance\":\"" + jsonText(path) + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The path within the application that the request is dispatched by (servlet path and path info), not the raw
     * URI, whose spellings ({@code ;params}, {@code //}, percent escapes, dot segments) name the same route.
     */
    public static String dispatchedPath(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return pathInfo == null ? servletPath : servletPath + pathInfo;
    }

    /** Why a query string does not name exactly one workspace, or empty when it does. */
    static Optional<String> problem(@Nullable String query) {
        Set<String> named = new LinkedHashSet<>();
        if (query != null) {
            for (String part : query.split("&")) {
                String[] pair = part.split("=", 2);
                if (!decode(pair[0]).equals(PARAMETER)) continue;
                named.add(pair.length == 2 ? decode(pair[1]).strip() : "");
            }
        }
        if (named.size() > 1)
            return Optional.of("name one workspace: " + PARAMETER + " is given " + named.size() + " different values");
        if (named.isEmpty() || named.iterator().next().isEmpty())
            return Optional.of(PARAMETER + " is required: every call of this API reads or changes one workspace's"
                    + " data and must name it (the config backend's relay does), also with the service token");
        return Optional.empty();
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // a malformed escape is not the workspace parameter's name, nor a usable value
        }
    }

    private static String jsonText(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.toString();
    }
}
