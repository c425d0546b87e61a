package dev.eventpipe.configbackend.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.Api;
import dev.eventpipe.configbackend.BackendIT;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessControlIT extends BackendIT {

    @Test
    void callsWithoutAValidTokenAreUnauthorized() {
        Api.Reply reply = anonymous().get("/api/v1/workspaces");
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(anonymous().bearer("eps_forged").get("/api/v1/workspaces").status())
                .isEqualTo(401);
        assertThat(anonymous().bearer("ept_forged").get("/api/v1/workspaces").status())
                .isEqualTo(401);
        assertThat(anonymous()
                        .post("/api/v1/auth/login", Map.of("email", "admin@test.local", "password", "wrong-password"))
                        .status())
                .isEqualTo(401);
    }

    @Test
    void aLoggedOutSessionNoLongerWorks() {
        Api admin = admin();
        assertThat(admin.get("/api/v1/auth/me").status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/auth/logout", null).status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/auth/me").status()).isEqualTo(401);
    }

    @Test
    void aViewerReadsButCannotWrite() {
        Api admin = admin();
        String workspace = newWorkspace(admin, "Viewer " + System.nanoTime());
        String source = admin.post("/api/v1/workspaces/" + workspace + "/sources", Map.of("name", "S"))
                .body()
                .get("id")
                .asString();
        Api viewer = member(admin, workspace, "viewer" + System.nanoTime() + "@test.local", "VIEWER");

        assertThat(viewer.get("/api/v1/workspaces/" + workspace + "/sources").status())
                .isEqualTo(200);
        assertThat(viewer.get("/api/v1/workspaces/" + workspace + "/export").status())
                .isEqualTo(200);
        assertThat(viewer.post("/api/v1/workspaces/" + workspace + "/sources", Map.of("name", "X"))
                        .status())
                .isEqualTo(403);
        assertThat(viewer.patch("/api/v1/workspaces/" + workspace + "/sources/" + source, Map.of("name", "Y"))
                        .status())
                .isEqualTo(403);
        assertThat(viewer.post("/api/v1/workspaces/" + workspace + "/sources/" + source + "/rotate-key", null)
                        .status())
                .isEqualTo(403);
        assertThat(viewer.delete("/api/v1/workspaces/" + workspace + "/sources/" + source)
                        .status())
                .isEqualTo(403);
        assertThat(viewer.post("/api/v1/workspaces", Map.of("name", "Mine")).status())
                .isEqualTo(403);
    }

    @Test
    void anEditorChangesPipelinesButNotMembersOrTokens() {
        Api admin = admin();
        String workspace = newWorkspace(admin, "Editor " + System.nanoTime());
        Api editor = member(admin, workspace, "editor" + System.nanoTime() + "@test.local", "EDITOR");
        assertThat(editor.post("/api/v1/workspaces/" + workspace + "/sources", Map.of("name", "S"))
                        .status())
                .isEqualTo(201);
        assertThat(editor.post(
                                "/api/v1/workspaces/" + workspace + "/members",
                                Map.of("email", "x@test.local", "role", "ADMIN"))
                        .status())
                .isEqualTo(403);
        assertThat(editor.post("/api/v1/workspaces/" + workspace + "/api-tokens", Map.of("name", "t", "role", "ADMIN"))
                        .status())
                .isEqualTo(403);
        assertThat(editor.get("/api/v1/workspaces/" + workspace + "/workspace-tokens")
                        .status())
                .isEqualTo(403);
        assertThat(editor.delete("/api/v1/workspaces/" + workspace).status()).isEqualTo(403);
    }

    @Test
    void aUserOfOneWorkspaceCannotSeeAnother() {
        Api admin = admin();
        String a = newWorkspace(admin, "A " + System.nanoTime());
        String b = newWorkspace(admin, "B " + System.nanoTime());
        String sourceInB = admin.post("/api/v1/workspaces/" + b + "/sources", Map.of("name", "Secret source"))
                .body()
                .get("id")
                .asString();
        Api userOfA = member(admin, a, "a" + System.nanoTime() + "@test.local", "ADMIN");

        assertThat(userOfA.get("/api/v1/workspaces").body().findValuesAsString("id"))
                .contains(a)
                .doesNotContain(b);
        assertThat(userOfA.get("/api/v1/workspaces/" + b).status()).isEqualTo(404);
        assertThat(userOfA.get("/api/v1/workspaces/" + b + "/sources").status()).isEqualTo(404);
        assertThat(userOfA.get("/api/v1/workspaces/" + b + "/sources/" + sourceInB)
                        .status())
                .isEqualTo(404);
        assertThat(userOfA.get("/api/v1/workspaces/" + a + "/sources/" + sourceInB)
                        .status())
                .as("an id from B is unknown in A")
                .isEqualTo(404);
        assertThat(userOfA.post("/api/v1/workspaces/" + b + "/sources", Map.of("name", "X"))
                        .status())
                .isEqualTo(404);

        String tokenOfA = admin.post("/api/v1/workspaces/" + a + "/api-tokens", Map.of("name", "a", "role", "ADMIN"))
                .body()
                .get("value")
                .asString();
        assertThat(anonymous()
                        .bearer(tokenOfA)
                        .get("/api/v1/workspaces/" + b + "/sources")
                        .status())
                .isEqualTo(404);
        assertThat(anonymous()
                        .bearer(tokenOfA)
                        .get("/api/v1/workspaces/" + a + "/sources")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void healthAndTheApiDocumentationArePublic() {
        Api.Reply health = anonymous().get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("status").asString()).isEqualTo("UP");
        Api.Reply live = anonymous().get("/health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body().get("status").asString()).isEqualTo("UP");
        Api.Reply docs = anonymous().get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().at("/paths").has("/api/v1/workspaces/{workspaceId}/sources"))
                .isTrue();
        assertThat(docs.body().at("/paths").has("/workspaceConfig")).isTrue();
        assertThat(anonymous().get("/swagger-ui/index.html").status()).isEqualTo(200);
        assertThat(anonymous().get("/actuator/health").status()).isEqualTo(200);
        // metrics are not public (review P2-7): SecretAttacksIT covers who may read them
        assertThat(anonymous().get("/actuator/prometheus").status()).isEqualTo(401);
    }
}
