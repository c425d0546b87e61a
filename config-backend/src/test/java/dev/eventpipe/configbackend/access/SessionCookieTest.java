package dev.eventpipe.configbackend.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.configbackend.access.SessionCookie.SecureMode;
import jakarta.servlet.http.Cookie;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * {@code configbackend.security.session-cookie-secure} (review 1620 P2-c): when the cookie is {@code Secure}, and
 * when answers carry Strict-Transport-Security, for a plain-HTTP and an HTTPS request in each of the three modes.
 */
class SessionCookieTest {
    private static MockHttpServletRequest request(boolean https) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/auth/login");
        request.setSecure(https);
        return request;
    }

    private static String setCookie(SessionCookie cookies, boolean https) {
        MockHttpServletResponse response = new MockHttpServletResponse();
        cookies.set(request(https), response, "eps_x", Instant.now().plus(1, ChronoUnit.HOURS));
        return response.getHeader("Set-Cookie");
    }

    @Test
    void autoFollowsTheRequestAlwaysAndNeverDoNot() {
        SessionCookie auto = new SessionCookie("auto");
        assertThat(setCookie(auto, false)).doesNotContain("Secure");
        assertThat(setCookie(auto, true)).contains("; Secure");
        assertThat(auto.strictTransport(request(false))).isFalse();
        assertThat(auto.strictTransport(request(true))).isTrue();

        SessionCookie always = new SessionCookie("always");
        assertThat(setCookie(always, false)).contains("; Secure");
        assertThat(setCookie(always, true)).contains("; Secure");
        assertThat(always.strictTransport(request(false)))
                .as("a TLS proxy in front that the container does not see")
                .isTrue();

        SessionCookie never = new SessionCookie("never");
        assertThat(setCookie(never, false)).doesNotContain("Secure");
        assertThat(setCookie(never, true)).doesNotContain("Secure");
        assertThat(never.strictTransport(request(false))).isFalse();
        assertThat(never.strictTransport(request(true)))
                .as("HTTPS as the container sees it")
                .isTrue();

        for (String cookie : new String[] {setCookie(auto, true), setCookie(always, false), setCookie(never, true)}) {
            assertThat(cookie)
                    .contains("; HttpOnly")
                    .contains("; SameSite=Strict")
                    .contains("; Path=/");
        }
    }

    @Test
    void theSettingIsReadWithoutRegardToCaseAndAnythingElseStopsTheStart() {
        assertThat(SecureMode.parse("")).isEqualTo(SecureMode.AUTO);
        assertThat(SecureMode.parse(" Always ")).isEqualTo(SecureMode.ALWAYS);
        assertThat(SecureMode.parse("NEVER")).isEqualTo(SecureMode.NEVER);
        assertThatThrownBy(() -> new SessionCookie("yes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SESSION_COOKIE_SECURE")
                .hasMessageContaining("auto, always or never");
    }

    @Test
    void aSecureCookieIsNamedWithTheHostPrefixAndOnlyTheNameThatWasSetIsRead() {
        SessionCookie auto = new SessionCookie(SecureMode.AUTO);
        assertThat(setCookie(auto, true)).startsWith(SessionCookie.SECURE_NAME + "=eps_x;");
        assertThat(setCookie(auto, false)).startsWith(SessionCookie.NAME + "=eps_x;");

        MockHttpServletRequest https = request(true);
        https.setCookies(new Cookie(SessionCookie.NAME, "eps_plain"));
        assertThat(auto.read(https)).as("HTTPS reads the __Host- name only").isEmpty();
        https.setCookies(new Cookie(SessionCookie.SECURE_NAME, "eps_host"));
        assertThat(auto.read(https)).contains("eps_host");

        MockHttpServletRequest http = request(false);
        http.setCookies(new Cookie(SessionCookie.SECURE_NAME, "eps_host"));
        assertThat(auto.read(http)).isEmpty();
        http.setCookies(new Cookie(SessionCookie.NAME, "eps_plain"));
        assertThat(auto.read(http)).contains("eps_plain");

        SessionCookie always = new SessionCookie(SecureMode.ALWAYS);
        MockHttpServletRequest behindProxy = request(false);
        behindProxy.setCookies(new Cookie(SessionCookie.SECURE_NAME, "eps_host"));
        assertThat(always.read(behindProxy)).contains("eps_host");
        assertThat(setCookie(always, false)).startsWith(SessionCookie.SECURE_NAME + "=");
    }

    @Test
    void twoCookiesOfTheNameAreNoSessionWhicheverComesFirst() {
        SessionCookie auto = new SessionCookie(SecureMode.AUTO);
        MockHttpServletRequest request = request(false);
        request.setCookies(new Cookie(SessionCookie.NAME, "eps_planted"), new Cookie(SessionCookie.NAME, "eps_ours"));
        assertThat(auto.read(request)).isEmpty();
        request.setCookies(new Cookie(SessionCookie.NAME, "eps_ours"), new Cookie(SessionCookie.NAME, ""));
        assertThat(auto.read(request)).isEmpty();
        request.setCookies(new Cookie("other", "x"), new Cookie(SessionCookie.NAME, "eps_ours"));
        assertThat(auto.read(request)).contains("eps_ours");
        request.setCookies(new Cookie(SessionCookie.NAME, " "));
        assertThat(auto.read(request)).isEmpty();
    }
}
