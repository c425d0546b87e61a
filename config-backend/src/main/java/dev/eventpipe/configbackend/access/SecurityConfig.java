package dev.eventpipe.configbackend.access;

import dev.eventpipe.configbackend.access.TokenAuthenticationFilter.Scheme;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Three filter chains. The data-plane endpoints take RudderStack's Basic auth with a workspace token. Everything else
 * takes bearer tokens (log-in sessions and API tokens) or, on {@code /api/**}, the web app's session cookie. Spring
 * Security's CSRF tokens are off: a bearer token is never sent by the browser on its own, and the cookie has its own
 * defence in {@link TokenAuthenticationFilter} ({@link SessionCookie}: SameSite=Strict, and a header that a page of
 * another origin cannot send without a CORS preflight, which is not granted). Roles are checked per workspace by
 * {@link WorkspaceAccess} in each endpoint.
 */
@Configuration
class SecurityConfig {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder(); // bcrypt, upgradable by prefix
    }

    /** Actuator: health for probes, the rest (metrics) for the service token or an instance admin (P2-7). */
    @Bean
    @Order(0)
    SecurityFilterChain actuator(HttpSecurity http, TokenResolver tokens, SessionCookie cookies) throws Exception {
        http.securityMatcher("/actuator/**")
                .headers(h -> strictTransport(h, cookies))
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .addFilterBefore(new MetricsAccessFilter(tokens, cookies), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.requestMatchers("/actuator/health", "/actuator/health/**")
                        .permitAll()
                        .anyRequest()
                        .hasAuthority(MetricsAccessFilter.AUTHORITY))
                .exceptionHandling(e -> e.authenticationEntryPoint((req, res, ex) -> {
                            res.setHeader("WWW-Authenticate", "Bearer");
                            problem(
                                    res,
                                    401,
                                    "metrics need Authorization: Bearer <SERVICE_TOKEN> or an instance admin's log-in");
                        })
                        .accessDeniedHandler((req, res, ex) -> problem(res, 403, "not allowed")));
        return http.build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain dataPlane(HttpSecurity http, TokenResolver tokens, SessionCookie cookies) throws Exception {
        http.securityMatcher("/workspaceConfig", "/transformation/**", "/data-plane/**")
                .headers(h -> strictTransport(h, cookies))
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(
                        new TokenAuthenticationFilter(tokens, Scheme.WORKSPACE_BASIC, cookies),
                        AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.anyRequest().hasAuthority("DATA_PLANE"))
                .exceptionHandling(e -> e.authenticationEntryPoint((req, res, ex) -> {
                    res.setHeader("WWW-Authenticate", "Basic realm=\"eventpipe\"");
                    problem(res, 401, "a valid workspace token is required (Basic auth, token as user name)");
                }));
        return http.build();
    }

    /**
     * The web app's Content-Security-Policy (review P2-5): scripts, styles, images and calls from this origin only, no
     * inline scripts, no plug-ins, no framing, no base or form target elsewhere. {@code 'unsafe-eval'}: the form
     * validator (Ajv) compiles each destination schema to a function; {@code 'unsafe-inline'} styles: the code
     * editor and the charts set styles at run time. An injected {@code <script>} or a script from another origin
     * does not run (and the session token is in an HttpOnly cookie, out of any script's reach).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, TokenResolver tokens, SessionCookie cookies) throws Exception {
        http.headers(h -> strictTransport(h, cookies)
                        .contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY)))
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .addFilterBefore(
                        new TokenAuthenticationFilter(tokens, Scheme.BEARER, cookies),
                        AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.requestMatchers(
                                "/api/v1/auth/login", "/api/v1/auth/session", "/api/v1/invitations/accept")
                        .permitAll()
                        .requestMatchers("/api/**")
                        .hasAuthority("API_USER")
                        .anyRequest()
                        .permitAll())
                .exceptionHandling(e -> e.authenticationEntryPoint(
                                (req, res, ex) -> problem(res, 401, "log in or send a bearer token"))
                        .accessDeniedHandler((req, res, ex) -> problem(res, 403, "not allowed")));
        return http.build();
    }

    /**
     * Strict-Transport-Security ({@code max-age=31536000 ; includeSubDomains}, Spring Security's value) on every answer
     * to a request that is HTTPS as the container sees it, and on every answer when
     * {@code configbackend.security.session-cookie-secure=always} says a TLS proxy is in front whatever the container
     * sees (review 1620 P2-c): the browser then never again asks this host over plain HTTP, where the session cookie
     * could be seen or replaced.
     */
    private static HeadersConfigurer<HttpSecurity> strictTransport(
            HeadersConfigurer<HttpSecurity> headers, SessionCookie cookies) {
        return headers.httpStrictTransportSecurity(hsts -> hsts.requestMatcher(cookies::strictTransport));
    }

    private static void problem(HttpServletResponse response, int status, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        String title = status == 401 ? "Unauthorized" : "Forbidden";
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                        + detail + "\"}");
    }
}
