package dev.eventpipe.configbackend.access;

import dev.eventpipe.configbackend.access.TokenAuthenticationFilter.Scheme;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Two filter chains. The data-plane endpoints take RudderStack's Basic auth with a workspace token. Everything else
 * takes bearer tokens (log-in sessions and API tokens); no cookie authenticates anything, so CSRF protection is
 * not needed and is off. Roles are checked per workspace by {@link WorkspaceAccess} in each endpoint.
 */
@Configuration
class SecurityConfig {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder(); // bcrypt, upgradable by prefix
    }

    @Bean
    @Order(1)
    SecurityFilterChain dataPlane(HttpSecurity http, TokenResolver tokens) throws Exception {
        http.securityMatcher("/workspaceConfig", "/transformation/**", "/data-plane/**")
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(
                        new TokenAuthenticationFilter(tokens, Scheme.WORKSPACE_BASIC),
                        AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.anyRequest().hasAuthority("DATA_PLANE"))
                .exceptionHandling(e -> e.authenticationEntryPoint((req, res, ex) -> {
                    res.setHeader("WWW-Authenticate", "Basic realm=\"eventpipe\"");
                    problem(res, 401, "a valid workspace token is required (Basic auth, token as user name)");
                }));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, TokenResolver tokens) throws Exception {
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .addFilterBefore(
                        new TokenAuthenticationFilter(tokens, Scheme.BEARER), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.requestMatchers("/api/v1/auth/login", "/api/v1/invitations/accept")
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

    private static void problem(HttpServletResponse response, int status, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        String title = status == 401 ? "Unauthorized" : "Forbidden";
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                        + detail + "\"}");
    }
}
