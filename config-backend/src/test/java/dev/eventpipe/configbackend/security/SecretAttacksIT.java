package dev.eventpipe.configbackend.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.Api;
import dev.eventpipe.configbackend.BackendIT;
import dev.eventpipe.model.json.Json;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Attacks on secrets, sessions, tokens, metrics and the web app (review P2-1, P2-2, P2-5, P2-7; issue 14 item 6),
 * each a test that failed on the code before the fix, on PostgreSQL: a ciphertext copied into another workspace's
 * destination and decrypted there, a stored-ciphertext look-alike that broke the workspace's config, a kept secret
 * redirected to another URL or header, a session that outlived a password change, a session left unused for hours, a
 * stolen session its owner could not end from elsewhere, expired sessions kept for ever, an API token past its expiry,
 * metrics readable by anyone, and a web app without a Content-Security-Policy.
 */
class SecretAttacksIT extends BackendIT {
    static final String SERVICE_TOKEN = "relay-test-service-token";

    static {
        // the scraper's token (the same value DataPlaneRelayIT sets: both read it from this system property)
        System.setProperty("SERVICE_TOKEN", SERVICE_TOKEN);
    }

    @Autowired
    JdbcClient jdbc;

    private static String unique(String who) {
        return who + System.nanoTime() + "@test.local";
    }

    private static String ws(String workspace, String path) {
        return "/api/v1/workspaces/" + workspace + path;
    }

    private static Map<String, Object> webhook(String url, String headerName, String headerValue) {
        return Map.of(
                "webhookUrl",
                url,
                "webhookMethod",
                "POST",
                "headers",
                List.of(Map.of("from", headerName, "to", headerValue)));
    }

    /** A WEBHOOK destination connected to a new source, so that it is in the workspace's data-plane config. */
    private static String connectedWebhook(Api editor, String workspace, Map<String, Object> config) {
        Api.Reply source = editor.post(ws(workspace, "/sources"), Map.of("name", "Web " + System.nanoTime()));
        assertThat(source.status()).as(source.text()).isEqualTo(201);
        Api.Reply destination = editor.post(
                ws(workspace, "/destinations"),
                Map.of("name", "Hook " + System.nanoTime(), "type", "WEBHOOK", "config", config));
        assertThat(destination.status()).as(destination.text()).isEqualTo(201);
        String id = destination.body().get("id").asString();
        Api.Reply connection = editor.post(
                ws(workspace, "/connections"),
                Map.of("sourceId", source.body().get("id").asString(), "destinationId", id));
        assertThat(connection.status()).as(connection.text()).isEqualTo(201);
        return id;
    }

    private JsonNode storedConfig(String destinationId) {
        return Json.mapper()
                .readTree(jdbc.sql("SELECT config FROM cp_destination WHERE id = :id")
                        .param("id", destinationId)
                        .query(String.class)
                        .single());
    }

    /** The config the data plane gets for the destination, secrets in clear. */
    private JsonNode dataPlaneConfig(String workspaceToken, String destinationId) {
        Api.Reply config = anonymous().basic(workspaceToken).get("/workspaceConfig?fetchAll=true");
        assertThat(config.status()).as(config.text()).isEqualTo(200);
        return config.body().findParents("destinationDefinition").stream()
                .filter(d -> d.get("id").asString().equals(destinationId))
                .findFirst()
                .orElseThrow()
                .get("config");
    }

    // P2-1: a ciphertext is the server's alone, and only decrypts for the destination and field it was made for

    @Test
    void aCiphertextCopiedFromAnotherWorkspacesDestinationIsNotDecryptedIntoTheAttackersConfig() {
        Api root = admin();
        String victims = newWorkspace(root, "Victim " + System.nanoTime());
        String attackers = newWorkspace(root, "Attacker " + System.nanoTime());
        Api victim = member(root, victims, unique("victim"), "EDITOR");
        Api attacker = member(root, attackers, unique("attacker"), "EDITOR");
        String victimsHook = connectedWebhook(
                victim, victims, webhook("https://api.victim.example/hook", "Authorization", "Bearer victims-key"));
        // the attacker got hold of the stored value (a leaked backup, a support dump of cp_destination)
        String ciphertext = storedConfig(victimsHook).at("/headers/0/to").asString();
        assertThat(ciphertext).startsWith("enc:").doesNotContain("victims-key");

        String attackersHook = connectedWebhook(
                attacker, attackers, webhook("https://collect.attacker.example/", "Authorization", ciphertext));

        JsonNode delivered = dataPlaneConfig(workspaceToken(root, attackers), attackersHook);
        assertThat(delivered.toString()).doesNotContain("victims-key");
        assertThat(delivered.at("/headers/0/to").asString())
                .as("what the attacker typed is their secret, encrypted like any other")
                .isEqualTo(ciphertext);
        assertThat(storedConfig(attackersHook).at("/headers/0/to").asString()).isNotEqualTo(ciphertext);
    }

    @Test
    void aValueThatLooksLikeACiphertextIsEncryptedAndBreaksNeitherTheWorkspaceConfigNorLaterEdits() {
        Api root = admin();
        String workspace = newWorkspace(root, "Look-alike " + System.nanoTime());
        Api editor = member(root, workspace, unique("editor"), "EDITOR");
        String hook = connectedWebhook(
                editor, workspace, webhook("https://api.example.com/hook", "X-Api-Key", "enc:v1:AAAA"));
        String token = workspaceToken(root, workspace);

        assertThat(dataPlaneConfig(token, hook).at("/headers/0/to").asString()).isEqualTo("enc:v1:AAAA");
        Api.Reply renamed = editor.patch(
                ws(workspace, "/destinations/" + hook),
                Map.of("name", "Renamed", "config", webhook("https://api.example.com/hook", "X-Api-Key", "********")));
        assertThat(renamed.status()).as(renamed.text()).isEqualTo(200);
        assertThat(dataPlaneConfig(token, hook).at("/headers/0/to").asString()).isEqualTo("enc:v1:AAAA");
    }

    // P2-2: an editor who cannot read a secret cannot send it somewhere else either

    @Test
    void aChangedUrlOrHeaderNameNeedsTheSecretAgainSoAnEditorCannotRedirectAKeptSecret() {
        Api root = admin();
        String workspace = newWorkspace(root, "Redirect " + System.nanoTime());
        Api owner = member(root, workspace, unique("owner"), "EDITOR");
        Api rogue = member(root, workspace, unique("rogue"), "EDITOR");
        String hook = connectedWebhook(
                owner, workspace, webhook("https://api.vendor.example/in", "Authorization", "Bearer vendor-key"));
        String token = workspaceToken(root, workspace);
        String path = ws(workspace, "/destinations/" + hook);

        Api.Reply newUrl = rogue.patch(
                path, Map.of("config", webhook("https://collect.rogue.example/", "Authorization", "********")));
        Api.Reply newHeaderName =
                rogue.patch(path, Map.of("config", webhook("https://api.vendor.example/in", "X-Echo-Me", "********")));

        assertThat(newUrl.status()).as(newUrl.text()).isEqualTo(400);
        assertThat(newUrl.body().findValuesAsString("field")).containsExactly("config.headers.0.to");
        assertThat(newHeaderName.status()).as(newHeaderName.text()).isEqualTo(400);
        assertThat(newHeaderName.body().findValuesAsString("field")).containsExactly("config.headers.0.to");
        JsonNode delivered = dataPlaneConfig(token, hook);
        assertThat(delivered.get("webhookUrl").asString()).isEqualTo("https://api.vendor.example/in");
        assertThat(delivered.at("/headers/0/from").asString()).isEqualTo("Authorization");

        // what is not a redirect keeps the secret; a redirect with the secret typed again is allowed
        Api.Reply renamed = rogue.patch(
                path,
                Map.of(
                        "name",
                        "Vendor",
                        "config",
                        webhook("https://api.vendor.example/in", "Authorization", "********")));
        assertThat(renamed.status()).as(renamed.text()).isEqualTo(200);
        assertThat(dataPlaneConfig(token, hook).at("/headers/0/to").asString()).isEqualTo("Bearer vendor-key");
        Api.Reply moved = owner.patch(
                path, Map.of("config", webhook("https://api2.vendor.example/in", "Authorization", "Bearer new-key")));
        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        assertThat(dataPlaneConfig(token, hook).at("/headers/0/to").asString()).isEqualTo("Bearer new-key");
    }

    // P2-5: sessions and API tokens

    @Test
    void aPasswordChangeLogsOutEveryOtherSessionOfTheAccount() {
        Api root = admin();
        String workspace = newWorkspace(root, "Sessions " + System.nanoTime());
        String email = unique("person");
        Api here = member(root, workspace, email, "VIEWER");
        Api stolen = anonymous().login(email, "password-of-" + email);
        assertThat(stolen.get("/api/v1/auth/me").status()).isEqualTo(200);

        Api.Reply changed = here.put(
                "/api/v1/auth/password",
                Map.of("currentPassword", "password-of-" + email, "newPassword", "a-new-password-" + email));

        assertThat(changed.status()).as(changed.text()).isEqualTo(204);
        assertThat(stolen.get("/api/v1/auth/me").status())
                .as("the other session")
                .isEqualTo(401);
        assertThat(here.get("/api/v1/auth/me").status())
                .as("the session that changed it")
                .isEqualTo(200);
        assertThat(anonymous()
                        .login(email, "a-new-password-" + email)
                        .get("/api/v1/auth/me")
                        .status())
                .isEqualTo(200);
    }

    /** Moves the last use of every session of {@code email} back by {@code minutes}. */
    private void idle(String email, int minutes) {
        jdbc.sql("UPDATE cp_session SET last_used_at = now() - make_interval(mins => :minutes)"
                        + " WHERE user_id = (SELECT id FROM cp_user WHERE email = :email)")
                .param("minutes", minutes)
                .param("email", email)
                .update();
    }

    private int sessionsOf(String email) {
        return jdbc.sql("SELECT count(*) FROM cp_session WHERE user_id = (SELECT id FROM cp_user WHERE email = :email)")
                .param("email", email)
                .query(Integer.class)
                .single();
    }

    @Test
    void aSessionLeftUnusedLongerThanTheIdleTimeoutIsRefusedWhileOneInUseGoesOn() {
        Api root = admin();
        String workspace = newWorkspace(root, "Idle " + System.nanoTime());
        String email = unique("idle");
        Api forgotten = member(root, workspace, email, "VIEWER");
        assertThat(forgotten.get("/api/v1/auth/me").status()).isEqualTo(200);

        idle(email, 90); // within the 2 h default: still a session, and its use is written again
        assertThat(forgotten.get("/api/v1/auth/me").status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM cp_session WHERE user_id = (SELECT id FROM cp_user WHERE email = :e)"
                                + " AND last_used_at > now() - interval '5 minutes'")
                        .param("e", email)
                        .query(Integer.class)
                        .single())
                .as("the use 90 minutes after the last one was recorded")
                .isEqualTo(1);

        idle(email, 121);
        assertThat(forgotten.get("/api/v1/auth/me").status())
                .as("a session unused for over 2 h, well within its 12 h ttl")
                .isEqualTo(401);
        assertThat(anonymous()
                        .login(email, "password-of-" + email)
                        .get("/api/v1/auth/me")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void logOutEverywhereEndsEverySessionOfTheAccountAndNoOneElses() {
        Api root = admin();
        String workspace = newWorkspace(root, "Everywhere " + System.nanoTime());
        String email = unique("everywhere");
        String bystanderEmail = unique("bystander");
        Api laptop = member(root, workspace, email, "VIEWER");
        Api phone = anonymous().login(email, "password-of-" + email);
        Api bystander = member(root, workspace, bystanderEmail, "VIEWER");

        assertThat(laptop.post("/api/v1/auth/logout-all", null).status()).isEqualTo(204);

        assertThat(phone.get("/api/v1/auth/me").status())
                .as("the other session")
                .isEqualTo(401);
        assertThat(laptop.get("/api/v1/auth/me").status())
                .as("the caller's own")
                .isEqualTo(401);
        assertThat(sessionsOf(email)).isZero();
        assertThat(bystander.get("/api/v1/auth/me").status())
                .as("another account's session")
                .isEqualTo(200);
        assertThat(anonymous().post("/api/v1/auth/logout-all", null).status()).isEqualTo(401);
    }

    @Test
    void aLogInDeletesEveryonesSessionsThatCanNoLongerBeUsed() {
        Api root = admin();
        String workspace = newWorkspace(root, "Purge " + System.nanoTime());
        String expiredEmail = unique("expired");
        String idleEmail = unique("idle");
        String activeEmail = unique("active");
        member(root, workspace, expiredEmail, "VIEWER");
        member(root, workspace, idleEmail, "VIEWER");
        Api active = member(root, workspace, activeEmail, "VIEWER");
        jdbc.sql("UPDATE cp_session SET expires_at = now() - interval '1 minute'"
                        + " WHERE user_id = (SELECT id FROM cp_user WHERE email = :email)")
                .param("email", expiredEmail)
                .update();
        idle(idleEmail, 121);

        admin(); // someone else logs in

        assertThat(sessionsOf(expiredEmail))
                .as("an expired session of another account")
                .isZero();
        assertThat(sessionsOf(idleEmail))
                .as("an idle session of another account")
                .isZero();
        assertThat(sessionsOf(activeEmail)).isEqualTo(1);
        assertThat(active.get("/api/v1/auth/me").status()).isEqualTo(200);
    }

    @Test
    void anApiTokenCanBeGivenAnExpiryAndIsRefusedAfterIt() {
        Api root = admin();
        String workspace = newWorkspace(root, "Expiry " + System.nanoTime());
        Instant expiry = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Api.Reply created = root.post(
                ws(workspace, "/api-tokens"), Map.of("name", "ci", "role", "VIEWER", "expiresAt", expiry.toString()));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(Instant.parse(created.body().at("/token/expiresAt").asString()))
                .isEqualTo(expiry);
        Api ci = anonymous().bearer(created.body().get("value").asString());
        assertThat(ci.get(ws(workspace, "/sources")).status()).isEqualTo(200);
        assertThat(Instant.parse(root.get(ws(workspace, "/api-tokens"))
                        .body()
                        .get(0)
                        .get("expiresAt")
                        .asString()))
                .isEqualTo(expiry);
        Api.Reply alreadyExpired = root.post(
                ws(workspace, "/api-tokens"),
                Map.of(
                        "name",
                        "old",
                        "role",
                        "VIEWER",
                        "expiresAt",
                        Instant.now().minusSeconds(60).toString()));
        assertThat(alreadyExpired.status()).as(alreadyExpired.text()).isEqualTo(400);

        // the expiry passes (moved into the past here rather than waited for)
        jdbc.sql("UPDATE cp_api_token SET expires_at = :past WHERE id = :id")
                .param("past", Timestamp.from(Instant.now().minus(1, ChronoUnit.MINUTES)))
                .param("id", created.body().at("/token/id").asString())
                .update();

        assertThat(ci.get(ws(workspace, "/sources")).status()).isEqualTo(401);
        String forever = root.post(ws(workspace, "/api-tokens"), Map.of("name", "forever", "role", "VIEWER"))
                .body()
                .get("value")
                .asString();
        assertThat(anonymous().bearer(forever).get(ws(workspace, "/sources")).status())
                .as("no expiry given: never expires")
                .isEqualTo(200);
    }

    // P2-7: metrics are not for anyone on the network

    @Test
    void metricsNeedTheServiceTokenOrAnInstanceAdminWhileHealthStaysOpen() {
        Api root = admin();
        String workspace = newWorkspace(root, "Metrics " + System.nanoTime());
        Api workspaceAdmin = member(root, workspace, unique("ws.admin"), "ADMIN");
        String adminToken = root.post(ws(workspace, "/api-tokens"), Map.of("name", "ci", "role", "ADMIN"))
                .body()
                .get("value")
                .asString();

        for (String path : List.of("/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/jvm.memory.used")) {
            assertThat(anonymous().get(path).status()).as(path).isEqualTo(401);
            assertThat(anonymous().bearer("wrong-token").get(path).status())
                    .as(path)
                    .isEqualTo(401);
            assertThat(workspaceAdmin.get(path).status())
                    .as(path + " by a workspace admin")
                    .isEqualTo(401);
            assertThat(anonymous().bearer(adminToken).get(path).status())
                    .as(path + " by an API token")
                    .isEqualTo(401);
            assertThat(root.get(path).status())
                    .as(path + " by an instance admin")
                    .isEqualTo(200);
            assertThat(anonymous().bearer(SERVICE_TOKEN).get(path).status())
                    .as(path + " by the scraper")
                    .isEqualTo(200);
        }
        assertThat(anonymous().get("/actuator/health").status()).isEqualTo(200);
        assertThat(anonymous().get("/health/live").status()).isEqualTo(200);
    }

    // P2-5: the web app runs only its own scripts

    @Test
    void theWebAppIsServedWithAContentSecurityPolicyThatRunsNoInlineOrForeignScript() {
        for (String path : List.of("/", "/destinations", "/api/v1/auth/me")) {
            Api.Reply page = anonymous().get(path);
            String policy = page.header("Content-Security-Policy");
            assertThat(policy).as(path).contains("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'");
            String scripts = policy.substring(policy.indexOf("script-src"));
            scripts = scripts.substring(0, scripts.indexOf(';'));
            assertThat(scripts).as(path).startsWith("script-src 'self'").doesNotContain("unsafe-inline", "*", "http");
        }
    }
}
