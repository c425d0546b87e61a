package dev.eventpipe.configbackend.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.BackendIT;
import dev.eventpipe.model.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Behind a TLS-terminating proxy that the config backend is not told to trust (compose or {@code ./run.sh} behind
 * nginx, {@code server.forward-headers-strategy} unset): the container sees plain HTTP, and
 * {@code configbackend.security.session-cookie-secure=always} ({@code SESSION_COOKIE_SECURE=always}) still makes the
 * cookie {@code Secure}, named {@code __Host-eventpipe_session}, and every answer carries Strict-Transport-Security
 * (review 1620 P2-c).
 */
@TestPropertySource(properties = "configbackend.security.session-cookie-secure=always")
class SessionCookieAlwaysSecureIT extends BackendIT {
    static final String HOST_COOKIE = "__Host-" + SessionCookieIT.COOKIE;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                        method,
                        path.endsWith("login")
                                ? HttpRequest.BodyPublishers.ofString(
                                        Json.writeString(Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD)))
                                : HttpRequest.BodyPublishers.noBody())
                .header("Content-Type", "application/json")
                .header(SessionCookieIT.CSRF, "1");
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String setCookie(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.contains("eventpipe_session="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie in " + response.headers()));
    }

    private static String hsts(HttpResponse<String> response) {
        return response.headers().firstValue("Strict-Transport-Security").orElse("");
    }

    @Test
    void overWhatTheContainerSeesAsPlainHttpTheCookieIsSecureAndEveryAnswerSaysHttpsOnly() throws Exception {
        HttpResponse<String> login = send("POST", "/api/v1/auth/login", Map.of());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String set = setCookie(login);
        assertThat(set)
                .startsWith(HOST_COOKIE + "=eps_")
                .contains("; Secure")
                .contains("; HttpOnly")
                .contains("; SameSite=Strict")
                .contains("; Path=/")
                .doesNotContain("Domain=");
        assertThat(hsts(login)).contains("max-age=31536000");
        String value = set.substring(HOST_COOKIE.length() + 1, set.indexOf(';'));

        for (String page : new String[] {"/", "/health", "/actuator/health", "/workspaceConfig"}) {
            assertThat(hsts(send("GET", page, Map.of()))).as(page).contains("max-age=31536000");
        }

        HttpResponse<String> me = send("GET", "/api/v1/auth/me", Map.of("Cookie", HOST_COOKIE + "=" + value));
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/auth/me", Map.of("Cookie", SessionCookieIT.COOKIE + "=" + value))
                        .statusCode())
                .as("the reader takes the name that was set, and no other")
                .isEqualTo(401);

        HttpResponse<String> out = send("POST", "/api/v1/auth/logout", Map.of("Cookie", HOST_COOKIE + "=" + value));
        assertThat(out.statusCode()).as(out.body()).isEqualTo(204);
        assertThat(setCookie(out))
                .startsWith(HOST_COOKIE + "=;")
                .contains("Max-Age=0")
                .contains("; Secure");
        assertThat(send("GET", "/api/v1/auth/me", Map.of("Cookie", HOST_COOKIE + "=" + value))
                        .statusCode())
                .isEqualTo(401);
    }
}
