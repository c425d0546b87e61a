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
 * Behind a TLS-terminating proxy that the installation trusts ({@code server.forward-headers-strategy=native}, a proxy
 * on this machine), the session cookie is {@code Secure} and named {@code __Host-eventpipe_session} when the proxy
 * says the browser came over HTTPS, and so is the cookie that clears it, and the answers carry
 * Strict-Transport-Security; over plain HTTP it is neither (a Secure cookie would never come back).
 */
@TestPropertySource(properties = "server.forward-headers-strategy=native")
class SessionCookieBehindProxyIT extends BackendIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HttpResponse<String> send(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(
                        path.endsWith("login")
                                ? Json.writeString(Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD))
                                : ""))
                .header("Content-Type", "application/json")
                .header(SessionCookieIT.CSRF, "1");
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sessionCookie(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(name + "="))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theCookieIsSecureWhenTheTrustedProxySaysHttpsAndNotOverPlainHttp() throws Exception {
        HttpResponse<String> https = send("/api/v1/auth/login", Map.of("X-Forwarded-Proto", "https"));
        assertThat(https.statusCode()).as(https.body()).isEqualTo(200);
        String host = SessionCookieAlwaysSecureIT.HOST_COOKIE;
        String set = sessionCookie(https, host);
        assertThat(set).contains("; Secure").contains("; HttpOnly").contains("; SameSite=Strict");
        assertThat(https.headers().firstValue("Strict-Transport-Security"))
                .hasValueSatisfying(v -> assertThat(v).contains("max-age=31536000"));
        String value = set.substring(host.length() + 1, set.indexOf(';'));

        HttpResponse<String> out =
                send("/api/v1/auth/logout", Map.of("X-Forwarded-Proto", "https", "Cookie", host + "=" + value));
        assertThat(out.statusCode()).as(out.body()).isEqualTo(204);
        assertThat(sessionCookie(out, host)).contains("Max-Age=0").contains("; Secure");

        HttpResponse<String> http = send("/api/v1/auth/login", Map.of());
        assertThat(http.statusCode()).isEqualTo(200);
        assertThat(sessionCookie(http, SessionCookieIT.COOKIE))
                .doesNotContain("Secure")
                .contains("; HttpOnly");
        assertThat(http.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }
}
