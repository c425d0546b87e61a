package dev.eventpipe.configbackend.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.Api;
import dev.eventpipe.configbackend.BackendIT;
import dev.eventpipe.model.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The web app's session in an HttpOnly, SameSite=Strict cookie (issue 14, SECURITY.md "The web app's session"), on
 * PostgreSQL, each test failing on the code that kept the token in {@code localStorage}: the log-in sets the cookie
 * and keeps the token out of the page; the cookie authenticates the API and the relay; an unsafe call with the cookie
 * but without the web app's header is refused, and so is one the browser marks as cross-site, and a CORS preflight
 * from another origin is not granted; log-out and "log out everywhere" clear the cookie and end the session; an
 * expired or idle session's cookie is refused (and cleared). A browser is played by hand: cookies are sent as the
 * {@code Cookie} header, and {@code Set-Cookie} is read as it came.
 */
class SessionCookieIT extends BackendIT {
    static final String CSRF = "X-Eventpipe-Csrf";
    static final String COOKIE = "eventpipe_session";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static {
        System.setProperty("SERVICE_TOKEN", SecretAttacksIT.SERVICE_TOKEN);
    }

    @Autowired
    JdbcClient jdbc;

    record Answer(int status, JsonNode body, List<String> setCookies, HttpResponse<String> raw) {
        /** The value the answer set for the session cookie, if it set one. */
        Optional<String> sessionCookie() {
            return setCookies.stream()
                    .filter(c -> c.startsWith(COOKIE + "="))
                    .findFirst()
                    .map(c -> c.substring(COOKIE.length() + 1, c.indexOf(';')));
        }

        String setCookie() {
            return setCookies.stream()
                    .filter(c -> c.startsWith(COOKIE + "="))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + COOKIE + " in " + setCookies));
        }
    }

    private Answer send(String method, String path, @Nullable Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(
                                        body instanceof String s ? s : Json.writeString(body)));
        if (body != null && !headers.containsKey("Content-Type")) request.header("Content-Type", "application/json");
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode json = text.startsWith("{")
                    ? Json.mapper().readTree(text)
                    : Json.mapper().missingNode();
            return new Answer(response.statusCode(), json, response.headers().allValues("Set-Cookie"), response);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path, e);
        }
    }

    /** What the web app sends: the cookie and its header. */
    private static Map<String, String> webApp(String cookie) {
        return Map.of("Cookie", COOKIE + "=" + cookie, CSRF, "1");
    }

    /** The cookie alone, as a form or a script of another site would make the browser send it (were it sent). */
    private static Map<String, String> cookieOnly(String cookie) {
        return Map.of("Cookie", COOKIE + "=" + cookie);
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return all;
    }

    /** Logs in as the web app does and answers the session cookie's value. */
    private String webLogIn(String email, String password) {
        Answer login =
                send("POST", "/api/v1/auth/login", Map.of("email", email, "password", password), Map.of(CSRF, "1"));
        assertThat(login.status()).as(login.raw().body()).isEqualTo(200);
        return login.sessionCookie().orElseThrow();
    }

    private static String unique(String who) {
        return who + System.nanoTime() + "@test.local";
    }

    private int sessionsOf(String email) {
        return jdbc.sql("SELECT count(*) FROM cp_session WHERE user_id = (SELECT id FROM cp_user WHERE email = :email)")
                .param("email", email)
                .query(Integer.class)
                .single();
    }

    @Test
    void theWebAppsLogInSetsAnHttpOnlyStrictCookieThatAuthenticatesTheApiAndTheRelayAndNoScriptSeesTheToken() {
        Answer login = send(
                "POST",
                "/api/v1/auth/login",
                Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD),
                Map.of(CSRF, "1"));

        assertThat(login.status()).as(login.raw().body()).isEqualTo(200);
        String setCookie = login.setCookie();
        String cookie = login.sessionCookie().orElseThrow();
        assertThat(cookie).startsWith("eps_");
        assertThat(setCookie)
                .contains("; HttpOnly")
                .contains("; SameSite=Strict")
                .contains("; Path=/")
                .doesNotContain("Domain=")
                .as("plain HTTP: a Secure cookie would never come back")
                .doesNotContain("Secure");
        assertThat(login.raw().headers().firstValue("Strict-Transport-Security"))
                .as("plain HTTP and session-cookie-secure=auto: no HSTS")
                .isEmpty();
        long maxAge = Long.parseLong(setCookie.replaceAll(".*Max-Age=(\\d+).*", "$1"));
        assertThat(maxAge).as("no longer than the session's 12 h").isPositive().isLessThanOrEqualTo(12 * 3600);
        assertThat(login.body().get("token").isNull())
                .as("the web app's log-in answer does not carry the token into the page")
                .isTrue();
        assertThat(login.raw().body()).doesNotContain(cookie);
        assertThat(login.body().at("/user/email").asString()).isEqualTo(ADMIN_EMAIL);

        // reads with the cookie alone, as a browser sends it with every same-origin request
        Answer me = send("GET", "/api/v1/auth/me", null, cookieOnly(cookie));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().get("email").asString()).isEqualTo(ADMIN_EMAIL);
        Answer session = send("GET", "/api/v1/auth/session", null, cookieOnly(cookie));
        assertThat(session.body().at("/user/email").asString()).isEqualTo(ADMIN_EMAIL);
        assertThat(send("GET", "/api/v1/auth/session", null, Map.of())
                        .body()
                        .get("user")
                        .isNull())
                .as("without the cookie: no session, and no 401 either")
                .isTrue();

        // changes with the cookie and the web app's header
        Answer created =
                send("POST", "/api/v1/workspaces", Map.of("name", "Cookie " + System.nanoTime()), webApp(cookie));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String workspace = created.body().get("id").asString();
        Answer renamed = send("PATCH", "/api/v1/workspaces/" + workspace, Map.of("name", "Renamed"), webApp(cookie));
        assertThat(renamed.status()).as(renamed.raw().body()).isEqualTo(200);

        // the relay: the session stays here, the service token goes along, the cookie does not
        Answer relayed = send(
                "GET",
                "/api/v1/dataplane/router/api/v1/failed-events?workspaceId=" + workspace,
                null,
                cookieOnly(cookie));
        assertThat(relayed.status()).as(relayed.raw().body()).isEqualTo(200);
        assertThat(relayed.body().get("authorization").asString()).isEqualTo("Bearer " + SecretAttacksIT.SERVICE_TOKEN);
        Answer replay = send(
                "POST",
                "/api/v1/dataplane/router/api/v1/failed-events/replay?workspaceId=" + workspace,
                Map.of("jobIds", List.of(1)),
                webApp(cookie));
        assertThat(replay.status()).as(replay.raw().body()).isEqualTo(200);
        assertThat(replay.body().get("method").asString()).isEqualTo("POST");

        Answer deleted = send("DELETE", "/api/v1/workspaces/" + workspace, null, webApp(cookie));
        assertThat(deleted.status()).as(deleted.raw().body()).isEqualTo(204);
    }

    @Test
    void scriptsKeepTheirBearerTokenAndACookieNeverCarriesAnApiToken() {
        Api.Reply login =
                anonymous().post("/api/v1/auth/login", Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD));
        assertThat(login.status()).isEqualTo(200);
        String token = login.body().get("token").asString();
        assertThat(token).as("a script's log-in still answers the token").startsWith("eps_");
        Api admin = anonymous().bearer(token);
        assertThat(admin.get("/api/v1/auth/me").status()).isEqualTo(200);
        String workspace = newWorkspace(admin, "Scripts " + System.nanoTime());

        Api.Reply apiToken =
                admin.post("/api/v1/workspaces/" + workspace + "/api-tokens", Map.of("name", "ci", "role", "ADMIN"));
        assertThat(apiToken.status()).as(apiToken.text()).isEqualTo(201);
        String ept = apiToken.body().get("value").asString();
        assertThat(anonymous()
                        .bearer(ept)
                        .get("/api/v1/workspaces/" + workspace)
                        .status())
                .isEqualTo(200);
        assertThat(send("GET", "/api/v1/workspaces/" + workspace, null, cookieOnly(ept))
                        .status())
                .as("an API token is a bearer token only")
                .isEqualTo(401);
        // a bearer call needs no header, with or without a cookie beside it
        assertThat(admin.post("/api/v1/workspaces", Map.of("name", "No header " + System.nanoTime()))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void everyUnsafeMethodWithTheCookieButWithoutTheWebAppsHeaderIsRefusedAndChangesNothing() {
        String cookie = webLogIn(ADMIN_EMAIL, ADMIN_PASSWORD);
        Answer created =
                send("POST", "/api/v1/workspaces", Map.of("name", "Target " + System.nanoTime()), webApp(cookie));
        assertThat(created.status()).isEqualTo(201);
        String workspace = created.body().get("id").asString();
        String email = unique("csrf");
        String password = "password-of-csrf-" + System.nanoTime();
        Answer member = send(
                "POST",
                "/api/v1/workspaces/" + workspace + "/members",
                Map.of("email", email, "role", "EDITOR", "password", password),
                webApp(cookie));
        assertThat(member.status()).as(member.raw().body()).isEqualTo(201);

        record Forgery(String method, String path, @Nullable Object body) {}
        List<Forgery> forgeries = List.of(
                new Forgery("POST", "/api/v1/workspaces", Map.of("name", "Forged")),
                new Forgery("PATCH", "/api/v1/workspaces/" + workspace, Map.of("name", "Forged")),
                new Forgery(
                        "POST",
                        "/api/v1/workspaces/" + workspace + "/members",
                        Map.of("email", unique("intruder"), "role", "ADMIN")),
                new Forgery(
                        "PUT",
                        "/api/v1/auth/password",
                        Map.of("currentPassword", ADMIN_PASSWORD, "newPassword", "forged-password-1")),
                new Forgery(
                        "POST",
                        "/api/v1/dataplane/router/api/v1/failed-events/replay?workspaceId=" + workspace,
                        Map.of("jobIds", List.of(1))),
                new Forgery("POST", "/api/v1/auth/logout", null),
                new Forgery("POST", "/api/v1/auth/logout-all", null),
                new Forgery("DELETE", "/api/v1/workspaces/" + workspace, null));
        for (Forgery f : forgeries) {
            Answer json = send(f.method(), f.path(), f.body(), cookieOnly(cookie));
            assertThat(json.status())
                    .as(f.method() + " " + f.path() + ": " + json.raw().body())
                    .isEqualTo(403);
            assertThat(json.body().get("detail").asString()).contains(CSRF);
            // what an HTML form of another site can send without a preflight
            Answer form = send(
                    f.method(),
                    f.path(),
                    "name=Forged",
                    with(cookieOnly(cookie), "Content-Type", "application/x-www-form-urlencoded"));
            assertThat(form.status()).as("form " + f.method() + " " + f.path()).isEqualTo(403);
            Answer blank = send(f.method(), f.path(), f.body(), with(cookieOnly(cookie), CSRF, " "));
            assertThat(blank.status())
                    .as("blank header " + f.method() + " " + f.path())
                    .isEqualTo(403);
        }

        Answer workspaceNow = send("GET", "/api/v1/workspaces/" + workspace, null, cookieOnly(cookie));
        assertThat(workspaceNow.status()).as("not deleted").isEqualTo(200);
        assertThat(workspaceNow.body().get("name").asString()).startsWith("Target ");
        assertThat(send("GET", "/api/v1/workspaces/" + workspace + "/members", null, cookieOnly(cookie))
                        .raw()
                        .body())
                .doesNotContain("intruder");
        assertThat(send("GET", "/api/v1/auth/me", null, cookieOnly(cookie)).status())
                .as("neither logged out nor re-passworded")
                .isEqualTo(200);
        assertThat(anonymous()
                        .login(ADMIN_EMAIL, ADMIN_PASSWORD)
                        .get("/api/v1/auth/me")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aCrossSiteRequestIsRefusedEvenWithTheHeaderAndAPreflightFromAnotherOriginIsNotGranted() {
        String cookie = webLogIn(ADMIN_EMAIL, ADMIN_PASSWORD);

        // a page of another origin must ask before it may send X-Eventpipe-Csrf: the answer grants nothing
        Answer preflight = send(
                "OPTIONS",
                "/api/v1/workspaces",
                null,
                Map.of(
                        "Origin", "https://evil.example",
                        "Access-Control-Request-Method", "POST",
                        "Access-Control-Request-Headers", "content-type,x-eventpipe-csrf"));
        assertThat(preflight.raw().headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();
        assertThat(preflight.raw().headers().firstValue("Access-Control-Allow-Headers"))
                .isEmpty();
        assertThat(preflight.raw().headers().firstValue("Access-Control-Allow-Credentials"))
                .isEmpty();
        // nor may it read an answer made with the cookie
        Answer read = send("GET", "/api/v1/auth/me", null, with(cookieOnly(cookie), "Origin", "https://evil.example"));
        assertThat(read.raw().headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();

        // should a browser send the cookie and the header anyway, its own word on where the request came from counts
        for (String site : List.of("cross-site", "same-site")) {
            Answer forged = send(
                    "POST",
                    "/api/v1/workspaces",
                    Map.of("name", "Cross " + site),
                    with(with(webApp(cookie), "Sec-Fetch-Site", site), "Origin", "https://evil.example"));
            assertThat(forged.status()).as(site + ": " + forged.raw().body()).isEqualTo(403);
        }
        // the log-in takes JSON only: a form or a "simple" text/plain fetch of another site cannot log a browser in
        Answer plain = send(
                "POST",
                "/api/v1/auth/login",
                Json.writeString(Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD)),
                Map.of("Content-Type", "text/plain", "Origin", "https://evil.example"));
        assertThat(plain.status()).as(plain.raw().body()).isEqualTo(415);
        assertThat(plain.setCookies()).isEmpty();
        Answer ours = send(
                "POST",
                "/api/v1/workspaces",
                Map.of("name", "Same origin " + System.nanoTime()),
                with(webApp(cookie), "Sec-Fetch-Site", "same-origin"));
        assertThat(ours.status()).as(ours.raw().body()).isEqualTo(201);
        assertThat(send("GET", "/api/v1/workspaces", null, cookieOnly(cookie))
                        .raw()
                        .body())
                .doesNotContain("Cross cross-site")
                .doesNotContain("Cross same-site");
    }

    @Test
    void logOutClearsTheCookieAndEndsTheSessionAndLogOutEverywhereEndsEveryOne() {
        Api admin = admin();
        String workspace = newWorkspace(admin, "Log-out " + System.nanoTime());
        String email = unique("logout");
        member(admin, workspace, email, "VIEWER");
        String password = "password-of-" + email;

        String cookie = webLogIn(email, password);
        Answer out = send("POST", "/api/v1/auth/logout", null, webApp(cookie));
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.setCookie())
                .startsWith(COOKIE + "=;")
                .contains("Max-Age=0")
                .contains("HttpOnly")
                .contains("SameSite=Strict")
                .contains("Path=/");
        Answer replayed = send("GET", "/api/v1/auth/me", null, cookieOnly(cookie));
        assertThat(replayed.status())
                .as("the session is revoked on the server, not only forgotten by the browser")
                .isEqualTo(401);
        assertThat(replayed.setCookie()).as("an unknown cookie is cleared").contains("Max-Age=0");

        String laptop = webLogIn(email, password);
        String phone = webLogIn(email, password);
        Api script = anonymous().login(email, password);
        assertThat(sessionsOf(email))
                .as("these three and the one member() logged in with")
                .isEqualTo(4);
        Answer everywhere = send("POST", "/api/v1/auth/logout-all", null, webApp(laptop));
        assertThat(everywhere.status()).isEqualTo(204);
        assertThat(everywhere.setCookie()).startsWith(COOKIE + "=;").contains("Max-Age=0");
        assertThat(send("GET", "/api/v1/auth/me", null, cookieOnly(laptop)).status())
                .isEqualTo(401);
        assertThat(send("GET", "/api/v1/auth/me", null, cookieOnly(phone)).status())
                .isEqualTo(401);
        assertThat(script.get("/api/v1/auth/me").status()).isEqualTo(401);
        assertThat(sessionsOf(email)).isZero();
        assertThat(send("GET", "/api/v1/auth/session", null, cookieOnly(phone))
                        .body()
                        .get("user")
                        .isNull())
                .isTrue();
    }

    @Test
    void logOutWithABearerTokenAndTheCookieEndsBothSessions() {
        Api admin = admin();
        String workspace = newWorkspace(admin, "Both " + System.nanoTime());
        String email = unique("both");
        member(admin, workspace, email, "VIEWER");
        String password = "password-of-" + email;

        String cookie = webLogIn(email, password);
        Api.Reply script = anonymous().post("/api/v1/auth/login", Map.of("email", email, "password", password));
        String bearer = script.body().get("token").asString();
        Answer out = send(
                "POST",
                "/api/v1/auth/logout",
                null,
                Map.of("Authorization", "Bearer " + bearer, "Cookie", COOKIE + "=" + cookie));
        assertThat(out.status()).as(out.raw().body()).isEqualTo(204);
        assertThat(out.setCookie()).contains("Max-Age=0");
        assertThat(send("GET", "/api/v1/auth/me", null, Map.of("Authorization", "Bearer " + bearer))
                        .status())
                .isEqualTo(401);
        assertThat(send("GET", "/api/v1/auth/me", null, cookieOnly(cookie)).status())
                .as("the cookie the answer cleared names a session that ended too")
                .isEqualTo(401);
        assertThat(sessionsOf(email)).as("member() logged in once more").isEqualTo(1);
    }

    @Test
    void aLogInThatTheBrowserMarksAsFromAnotherSiteIsRefusedAndOpensNoSession() {
        String email = unique("login-csrf");
        Api admin = admin();
        String workspace = newWorkspace(admin, "Log-in CSRF " + System.nanoTime());
        member(admin, workspace, email, "VIEWER");
        String password = "password-of-" + email;
        int before = sessionsOf(email);

        for (String site : List.of("cross-site", "same-site")) {
            for (Map<String, String> headers : List.of(
                    Map.of("Sec-Fetch-Site", site, "Origin", "https://evil.example"),
                    Map.of("Sec-Fetch-Site", site, CSRF, "1"))) {
                Answer login =
                        send("POST", "/api/v1/auth/login", Map.of("email", email, "password", password), headers);
                assertThat(login.status())
                        .as(site + " " + headers + ": " + login.raw().body())
                        .isEqualTo(403);
                assertThat(login.setCookies()).isEmpty();
                assertThat(login.raw().body()).doesNotContain("eps_");
            }
        }
        assertThat(sessionsOf(email)).as("no session was opened").isEqualTo(before);
        for (String site : List.of("same-origin", "none")) {
            Answer login = send(
                    "POST",
                    "/api/v1/auth/login",
                    Map.of("email", email, "password", password),
                    Map.of("Sec-Fetch-Site", site, CSRF, "1"));
            assertThat(login.status()).as(site + ": " + login.raw().body()).isEqualTo(200);
            assertThat(login.sessionCookie()).isPresent();
        }
        // a script sends no Sec-Fetch-Site
        assertThat(anonymous()
                        .post("/api/v1/auth/login", Map.of("email", email, "password", password))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void twoSessionCookiesAreNoSessionWhicheverComesFirstAndOursIsNotCleared() {
        String ours = webLogIn(ADMIN_EMAIL, ADMIN_PASSWORD);
        // a sibling subdomain's cookie (Domain=.example, Path=/api) comes first; our own after it, or the other way
        String planted = webLogIn(ADMIN_EMAIL, ADMIN_PASSWORD);
        for (String both : List.of(
                COOKIE + "=" + planted + "; " + COOKIE + "=" + ours,
                COOKIE + "=" + ours + "; " + COOKIE + "=" + planted,
                COOKIE + "=" + ours + "; " + COOKIE + "=eps_unknown")) {
            Answer me = send("GET", "/api/v1/auth/me", null, Map.of("Cookie", both));
            assertThat(me.status()).as(both).isEqualTo(401);
            assertThat(me.setCookies())
                    .as("clearing ours would leave the planted one alone to win")
                    .isEmpty();
            assertThat(send("GET", "/api/v1/auth/session", null, Map.of("Cookie", both))
                            .body()
                            .get("user")
                            .isNull())
                    .isTrue();
            assertThat(send("POST", "/api/v1/workspaces", Map.of("name", "Two"), Map.of("Cookie", both, CSRF, "1"))
                            .status())
                    .isEqualTo(401);
        }
        assertThat(send("GET", "/api/v1/auth/me", null, cookieOnly(ours)).status())
                .as("alone, our cookie still works")
                .isEqualTo(200);
    }

    @Test
    void anExpiredOrIdleSessionsCookieIsRefusedAndAPasswordChangeEndsTheOtherCookies() {
        Api admin = admin();
        String workspace = newWorkspace(admin, "Lifetime " + System.nanoTime());
        String email = unique("lifetime");
        member(admin, workspace, email, "VIEWER");
        String password = "password-of-" + email;

        String expiring = webLogIn(email, password);
        assertThat(send("GET", "/api/v1/auth/me", null, cookieOnly(expiring)).status())
                .isEqualTo(200);
        jdbc.sql(
                        "UPDATE cp_session SET expires_at = now() - interval '1 minute' WHERE token_hash = encode(sha256(convert_to(:t, 'UTF8')), 'hex')")
                .param("t", expiring)
                .update();
        Answer expired = send("GET", "/api/v1/auth/me", null, cookieOnly(expiring));
        assertThat(expired.status()).as("past its 12 h").isEqualTo(401);
        assertThat(expired.setCookie()).contains("Max-Age=0");
        assertThat(send("POST", "/api/v1/workspaces", Map.of("name", "Late"), webApp(expiring))
                        .status())
                .isEqualTo(401);

        String idle = webLogIn(email, password);
        jdbc.sql("UPDATE cp_session SET last_used_at = now() - interval '121 minutes'"
                        + " WHERE token_hash = encode(sha256(convert_to(:t, 'UTF8')), 'hex')")
                .param("t", idle)
                .update();
        assertThat(send("GET", "/api/v1/auth/me", null, cookieOnly(idle)).status())
                .as("unused for over 2 h")
                .isEqualTo(401);

        String other = webLogIn(email, password);
        String here = webLogIn(email, password);
        Answer changed = send(
                "PUT",
                "/api/v1/auth/password",
                Map.of("currentPassword", password, "newPassword", password + "-new"),
                webApp(here));
        assertThat(changed.status()).as(changed.raw().body()).isEqualTo(204);
        assertThat(send("GET", "/api/v1/auth/me", null, cookieOnly(other)).status())
                .as("another browser's cookie")
                .isEqualTo(401);
        assertThat(send("GET", "/api/v1/auth/me", null, cookieOnly(here)).status())
                .as("the cookie that changed it")
                .isEqualTo(200);
        send(
                "PUT",
                "/api/v1/auth/password",
                Map.of("currentPassword", password + "-new", "newPassword", password),
                webApp(here));
    }

    @Test
    void aPasswordSetBySomeoneElseMustBeChangedWithTheCookieToo() {
        Api admin = admin();
        String workspace = newWorkspace(admin, "Forced " + System.nanoTime());
        String email = unique("forced");
        String initial = "initial-" + System.nanoTime();
        assertThat(admin.post(
                                "/api/v1/workspaces/" + workspace + "/members",
                                Map.of("email", email, "role", "VIEWER", "password", initial))
                        .status())
                .isEqualTo(201);

        String cookie = webLogIn(email, initial);
        Answer session = send("GET", "/api/v1/auth/session", null, cookieOnly(cookie));
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.body().at("/user/mustChangePassword").asBoolean()).isTrue();
        Answer workspaces = send("GET", "/api/v1/workspaces", null, cookieOnly(cookie));
        assertThat(workspaces.status()).isEqualTo(403);
        assertThat(workspaces.body().get("passwordChangeRequired").asBoolean()).isTrue();
        Answer changed = send(
                "PUT",
                "/api/v1/auth/password",
                Map.of("currentPassword", initial, "newPassword", "chosen-" + System.nanoTime()),
                webApp(cookie));
        assertThat(changed.status()).as(changed.raw().body()).isEqualTo(204);
        assertThat(send("GET", "/api/v1/workspaces", null, cookieOnly(cookie)).status())
                .isEqualTo(200);
    }

    @Test
    void anInstanceAdminsCookieReadsMetricsAndNoOneElsesDoes() {
        Api admin = admin();
        String workspace = newWorkspace(admin, "Metrics " + System.nanoTime());
        String email = unique("metrics");
        member(admin, workspace, email, "ADMIN");

        assertThat(send("GET", "/actuator/prometheus", null, cookieOnly(webLogIn(ADMIN_EMAIL, ADMIN_PASSWORD)))
                        .status())
                .isEqualTo(200);
        assertThat(send("GET", "/actuator/prometheus", null, cookieOnly(webLogIn(email, "password-of-" + email)))
                        .status())
                .isEqualTo(401);
    }
}
