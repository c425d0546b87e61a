package dev.eventpipe.configbackend.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.Api;
import dev.eventpipe.configbackend.BackendIT;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Attacks on accounts (review P0-4, issue 14 item 5), each a test that failed before accounts were fixed: a workspace
 * admin creating accounts, squatting an address that another workspace later adds, a password chosen by someone else
 * kept past the first log-in, and the add, accept and log-in answers telling whether an address has an account.
 */
class AccountAttacksIT extends BackendIT {
    @Autowired
    JdbcClient jdbc;

    private static String unique(String who) {
        return who + System.nanoTime() + "@test.local";
    }

    private static String members(String workspace) {
        return "/api/v1/workspaces/" + workspace + "/members";
    }

    @Test
    void aWorkspaceAdminOrAdminTokenWhoIsNotAnInstanceAdminCannotCreateAnAccount() {
        Api root = admin();
        String workspace = newWorkspace(root, "No account creation " + System.nanoTime());
        Api workspaceAdmin = member(root, workspace, unique("ws.admin"), "ADMIN");
        String token = root.post(
                        "/api/v1/workspaces/" + workspace + "/api-tokens", Map.of("name", "ci", "role", "ADMIN"))
                .body()
                .get("value")
                .asString();
        String victim = unique("created");

        Api.Reply byAdmin = workspaceAdmin.post(
                members(workspace), Map.of("email", victim, "role", "VIEWER", "password", "chosen-by-the-admin"));
        Api.Reply byToken = anonymous()
                .bearer(token)
                .post(members(workspace), Map.of("email", victim, "role", "VIEWER", "password", "chosen-by-a-token"));
        Api.Reply withoutPassword = workspaceAdmin.post(members(workspace), Map.of("email", victim, "role", "VIEWER"));

        assertThat(byAdmin.status()).as(byAdmin.text()).isEqualTo(403);
        assertThat(byToken.status()).as(byToken.text()).isEqualTo(403);
        assertThat(withoutPassword.status()).as(withoutPassword.text()).isEqualTo(201);
        assertThat(withoutPassword.body().get("initialPassword").isNull())
                .as("no password to hand over")
                .isTrue();
        assertThat(withoutPassword.body().get("member").isNull())
                .as("no account")
                .isTrue();
        assertThat(withoutPassword.body().at("/invitation/token").asString()).startsWith("epi_");
        for (String password : List.of("chosen-by-the-admin", "chosen-by-a-token")) {
            assertThat(anonymous()
                            .post("/api/v1/auth/login", Map.of("email", victim, "password", password))
                            .status())
                    .isEqualTo(401);
        }
    }

    @Test
    void addingAnExistingAddressToAnotherWorkspaceNeverHandsTheAccountToAnyone() {
        Api root = admin();
        String a = newWorkspace(root, "Squatter's " + System.nanoTime());
        String b = newWorkspace(root, "Victim's " + System.nanoTime());
        Api squatter = member(root, a, unique("squatter"), "ADMIN");
        Api adminOfB = member(root, b, unique("b.admin"), "ADMIN");
        String victim = unique("victim");

        // the squatter cannot pre-register the victim's address with a password of their choice
        Api.Reply squat =
                squatter.post(members(a), Map.of("email", victim, "role", "VIEWER", "password", "squatters-password"));
        assertThat(squat.status()).as(squat.text()).isEqualTo(403);

        // the victim's account exists (the victim accepted an invitation to A with their own password)
        String toA = squatter.post(members(a), Map.of("email", victim, "role", "VIEWER"))
                .body()
                .at("/invitation/token")
                .asString();
        Api.Reply created = anonymous()
                .post("/api/v1/invitations/accept", Map.of("token", toA, "password", "victims-own-password"));
        assertThat(created.status()).as(created.text()).isEqualTo(202);
        Api.Reply joinedA = anonymous()
                .login(victim, "victims-own-password")
                .post("/api/v1/invitations/accept", Map.of("token", toA));
        assertThat(joinedA.status()).as(joinedA.text()).isEqualTo(200);

        // B's admin adds the address: an invitation, not a membership of the existing account
        Api.Reply added = adminOfB.post(members(b), Map.of("email", victim, "role", "ADMIN"));
        assertThat(added.status()).as(added.text()).isEqualTo(201);
        assertThat(added.body().get("member").isNull()).isTrue();
        String toB = added.body().at("/invitation/token").asString();
        assertThat(adminOfB.get(members(b)).body().findValuesAsString("email")).doesNotContain(victim);

        // the token does not reset the existing account's password or join it, and nobody else can accept it
        Api.Reply reset =
                anonymous().post("/api/v1/invitations/accept", Map.of("token", toB, "password", "takeover-password"));
        assertThat(reset.status()).as(reset.text()).isEqualTo(202);
        assertThat(adminOfB.get(members(b)).body().findValuesAsString("email")).doesNotContain(victim);
        assertThat(anonymous()
                        .post("/api/v1/auth/login", Map.of("email", victim, "password", "takeover-password"))
                        .status())
                .isEqualTo(401);
        assertThat(squatter.post("/api/v1/invitations/accept", Map.of("token", toB))
                        .status())
                .isEqualTo(404);

        // the owner accepts while logged in, once
        Api owner = anonymous().login(victim, "victims-own-password");
        assertThat(owner.get("/api/v1/workspaces/" + b).status()).isEqualTo(404);
        Api.Reply joined = owner.post("/api/v1/invitations/accept", Map.of("token", toB));
        assertThat(joined.status()).as(joined.text()).isEqualTo(200);
        assertThat(owner.get("/api/v1/workspaces/" + b).status()).isEqualTo(200);
        assertThat(owner.post("/api/v1/invitations/accept", Map.of("token", toB))
                        .status())
                .as("single use")
                .isEqualTo(404);
    }

    @Test
    void anInvitationExpires() {
        Api root = admin();
        String workspace = newWorkspace(root, "Expiring " + System.nanoTime());
        // an instance admin adding a new address creates the account; an existing one is invited
        String existing = unique("existing");
        member(root, newWorkspace(root, "Other " + System.nanoTime()), existing, "VIEWER");
        Api.Reply invited = root.post(members(workspace), Map.of("email", existing, "role", "VIEWER"));
        String token = invited.body().at("/invitation/token").asString();
        jdbc.sql("UPDATE cp_invitation SET expires_at = now() - interval '1 minute' WHERE id = :id")
                .param("id", invited.body().at("/invitation/id").asString())
                .update();

        Api.Reply late = anonymous()
                .login(existing, "password-of-" + existing)
                .post("/api/v1/invitations/accept", Map.of("token", token));

        assertThat(late.status()).as(late.text()).isEqualTo(404);
    }

    @Test
    void aPasswordSetBySomeoneElseMustBeChangedAtFirstLogIn() {
        Api root = admin();
        String workspace = newWorkspace(root, "First log-in " + System.nanoTime());
        String email = unique("first.login");
        Api.Reply added =
                root.post(members(workspace), Map.of("email", email, "role", "EDITOR", "password", "set-by-the-admin"));
        assertThat(added.status()).as(added.text()).isEqualTo(201);

        Api person = anonymous().login(email, "set-by-the-admin");

        assertThat(person.get("/api/v1/auth/me")
                        .body()
                        .get("mustChangePassword")
                        .asBoolean())
                .isTrue();
        Api.Reply read = person.get("/api/v1/workspaces/" + workspace);
        assertThat(read.status()).as(read.text()).isEqualTo(403);
        assertThat(read.body().get("passwordChangeRequired").asBoolean()).isTrue();
        assertThat(person.post("/api/v1/workspaces/" + workspace + "/sources", Map.of("name", "Before the change"))
                        .status())
                .isEqualTo(403);
        assertThat(person.post("/api/v1/workspaces", Map.of("name", "x")).status())
                .isEqualTo(403);
        assertThat(person.put(
                                "/api/v1/auth/password",
                                Map.of("currentPassword", "set-by-the-admin", "newPassword", "chosen-by-the-person"))
                        .status())
                .isEqualTo(204);
        assertThat(person.get("/api/v1/workspaces/" + workspace).status()).isEqualTo(200);
        assertThat(person.get("/api/v1/auth/me")
                        .body()
                        .get("mustChangePassword")
                        .asBoolean())
                .isFalse();
        assertThat(root.get("/api/v1/auth/me").body().get("mustChangePassword").asBoolean())
                .as("the first admin, from the operator's own configuration")
                .isFalse();
    }

    @Test
    void addAndLogInAnswerTheSameForAnExistingAndAnUnknownAddress() {
        Api root = admin();
        String workspace = newWorkspace(root, "Oracle " + System.nanoTime());
        Api workspaceAdmin = member(root, workspace, unique("oracle.admin"), "ADMIN");
        String existing = unique("exists");
        member(root, newWorkspace(root, "Elsewhere " + System.nanoTime()), existing, "VIEWER");
        String unknown = unique("unknown");

        Api.Reply addExisting = workspaceAdmin.post(members(workspace), Map.of("email", existing, "role", "VIEWER"));
        Api.Reply addUnknown = workspaceAdmin.post(members(workspace), Map.of("email", unknown, "role", "VIEWER"));
        assertThat(addExisting.status()).isEqualTo(addUnknown.status());
        assertThat(shape(addExisting.body())).isEqualTo(shape(addUnknown.body()));

        Api.Reply withPasswordExisting = workspaceAdmin.post(
                members(workspace), Map.of("email", existing, "role", "VIEWER", "password", "some-password-1"));
        Api.Reply withPasswordUnknown = workspaceAdmin.post(
                members(workspace),
                Map.of("email", unique("unknown"), "role", "VIEWER", "password", "some-password-1"));
        assertThat(withPasswordExisting.status()).isEqualTo(withPasswordUnknown.status());
        assertThat(withPasswordExisting.body().get("detail").asString())
                .isEqualTo(withPasswordUnknown.body().get("detail").asString());

        Api.Reply wrongPassword =
                anonymous().post("/api/v1/auth/login", Map.of("email", existing, "password", "not-the-password"));
        Api.Reply noAccount =
                anonymous().post("/api/v1/auth/login", Map.of("email", unknown, "password", "not-the-password"));
        assertThat(wrongPassword.status()).isEqualTo(noAccount.status()).isEqualTo(401);
        assertThat(wrongPassword.body().get("detail").asString())
                .isEqualTo(noAccount.body().get("detail").asString());
    }

    @Test
    void acceptingAnInvitationAnonymouslyAnswersTheSameForAnExistingAndAnUnknownAddress() {
        Api root = admin();
        String workspace = newWorkspace(root, "Accept oracle " + System.nanoTime());
        Api workspaceAdmin = member(root, workspace, unique("accept.admin"), "ADMIN");
        String existing = unique("has.account");
        member(root, newWorkspace(root, "Existing's own " + System.nanoTime()), existing, "VIEWER");
        String unknown = unique("no.account");
        String toExisting = invite(workspaceAdmin, workspace, existing);
        String toUnknown = invite(workspaceAdmin, workspace, unknown);
        int auditBefore = workspaceAdmin
                .get("/api/v1/workspaces/" + workspace + "/audit-log")
                .body()
                .size();

        // the workspace admin holds both links and accepts them without a log-in, with a password of their choice
        Map<String, String> choice = Map.of("password", "chosen-by-the-link-holder", "name", "Holder");
        Api.Reply acceptExisting = accept(toExisting, choice);
        Api.Reply acceptUnknown = accept(toUnknown, choice);
        assertThat(acceptExisting.status()).as(acceptExisting.text()).isEqualTo(202);
        assertSameAnswer(acceptExisting, existing, acceptUnknown, unknown);
        // a second try tells nothing either
        assertSameAnswer(accept(toExisting, choice), existing, accept(toUnknown, choice), unknown);

        // no session either way, and nothing in the workspace the admin can see differs
        for (Api.Reply reply : List.of(acceptExisting, acceptUnknown)) {
            assertThat(reply.headers().allValues("Set-Cookie")).isEmpty();
            assertThat(reply.body().has("token")).isFalse();
        }
        assertThat(workspaceAdmin.get(members(workspace)).body().findValuesAsString("email"))
                .doesNotContain(existing, unknown);
        assertThat(workspaceAdmin
                        .get("/api/v1/workspaces/" + workspace + "/audit-log")
                        .body()
                        .size())
                .isEqualTo(auditBefore);

        // the existing account keeps its password and joins only when its owner accepts while logged in
        assertThat(anonymous()
                        .post("/api/v1/auth/login", Map.of("email", existing, "password", "chosen-by-the-link-holder"))
                        .status())
                .isEqualTo(401);
        Api owner = anonymous().login(existing, "password-of-" + existing);
        assertThat(owner.get("/api/v1/workspaces/" + workspace).status()).isEqualTo(404);
        Api.Reply joined = owner.post("/api/v1/invitations/accept", Map.of("token", toExisting));
        assertThat(joined.status()).as(joined.text()).isEqualTo(200);
        assertThat(owner.get("/api/v1/workspaces/" + workspace).status()).isEqualTo(200);

        // the new account exists with the password given, and joins the same way
        Api newcomer = anonymous().login(unknown, "chosen-by-the-link-holder");
        assertThat(newcomer.get("/api/v1/auth/me").body().get("workspaces").size())
                .isZero();
        assertThat(newcomer.post("/api/v1/invitations/accept", Map.of("token", toUnknown))
                        .status())
                .isEqualTo(200);
        assertThat(newcomer.get("/api/v1/workspaces/" + workspace).status()).isEqualTo(200);
        assertThat(workspaceAdmin.get(members(workspace)).body().findValuesAsString("email"))
                .contains(existing, unknown);
    }

    @Test
    void aPasswordRefusedOnAnAnonymousAcceptIsRefusedAlikeForAnExistingAndAnUnknownAddress() {
        Api root = admin();
        String workspace = newWorkspace(root, "Accept refusal " + System.nanoTime());
        Api workspaceAdmin = member(root, workspace, unique("refusal.admin"), "ADMIN");
        String existing = unique("has.account");
        member(root, newWorkspace(root, "Existing's own " + System.nanoTime()), existing, "VIEWER");
        String unknown = unique("no.account");
        String toExisting = invite(workspaceAdmin, workspace, existing);
        String toUnknown = invite(workspaceAdmin, workspace, unknown);

        for (Map<String, String> body : List.of(Map.of("password", "short"), Map.<String, String>of())) {
            Api.Reply refusedExisting = accept(toExisting, body);
            Api.Reply refusedUnknown = accept(toUnknown, body);
            assertThat(refusedExisting.status()).as(refusedExisting.text()).isEqualTo(400);
            assertSameAnswer(refusedExisting, existing, refusedUnknown, unknown);
        }
        assertThat(anonymous()
                        .post("/api/v1/auth/login", Map.of("email", unknown, "password", "short"))
                        .status())
                .as("no account was made")
                .isEqualTo(401);
    }

    private String invite(Api workspaceAdmin, String workspace, String email) {
        Api.Reply invited = workspaceAdmin.post(members(workspace), Map.of("email", email, "role", "EDITOR"));
        assertThat(invited.status()).as(invited.text()).isEqualTo(201);
        return invited.body().at("/invitation/token").asString();
    }

    private Api.Reply accept(String token, Map<String, String> fields) {
        Map<String, String> body = new HashMap<>(fields);
        body.put("token", token);
        return anonymous().post("/api/v1/invitations/accept", body);
    }

    /** Same status and, but for the address each is about, the same body. */
    private static void assertSameAnswer(Api.Reply a, String addressA, Api.Reply b, String addressB) {
        assertThat(a.status()).as(a.text() + " / " + b.text()).isEqualTo(b.status());
        assertThat(a.text().replace(addressA, "<address>")).isEqualTo(b.text().replace(addressB, "<address>"));
    }

    /** The field names of a JSON answer and, for each, whether it is null. */
    private static List<String> shape(JsonNode node) {
        List<String> shape = new ArrayList<>();
        walk("", node, shape);
        return shape;
    }

    private static void walk(String path, JsonNode node, List<String> shape) {
        if (node.isObject()) {
            for (var entry : node.properties()) walk(path + "/" + entry.getKey(), entry.getValue(), shape);
        } else {
            shape.add(path + (node.isNull() ? "=null" : ""));
        }
    }
}
