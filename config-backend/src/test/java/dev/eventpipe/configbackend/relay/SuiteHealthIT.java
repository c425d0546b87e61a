package dev.eventpipe.configbackend.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.Api;
import dev.eventpipe.configbackend.BackendIT;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

class SuiteHealthIT extends BackendIT {
    @DynamicPropertySource
    static void unreachableGateway(DynamicPropertyRegistry registry) {
        registry.add("configbackend.relay.gateway-url", () -> "http://127.0.0.1:1"); // nothing listens on port 1
    }

    @Test
    void everyServicesHealthIsListedAndOneThatCannotBeReachedSaysSo() {
        Api admin = admin();
        String workspace = newWorkspace(admin, "Health " + System.nanoTime());
        Api viewer = member(admin, workspace, "health.viewer" + System.nanoTime() + "@test.local", "VIEWER");

        Api.Reply reply = viewer.get("/api/v1/suite/health");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode services = reply.body().get("services");
        java.util.List<String> names = new java.util.ArrayList<>();
        for (JsonNode s : services) names.add(s.get("name").asString());
        assertThat(names).containsExactly("gateway", "processor", "router", "transformer", "warehouse");
        assertThat(services.get(0).get("reachable").asBoolean()).isFalse();
        assertThat(services.get(0).get("healthy").asBoolean()).isFalse();
        JsonNode router = services.get(2);
        assertThat(router.get("reachable").asBoolean()).isTrue();
        assertThat(router.get("httpStatus").asInt()).isEqualTo(200);
        assertThat(router.get("body").get("path").asString()).isEqualTo("/router/health");
        assertThat(anonymous().get("/api/v1/suite/health").status()).isEqualTo(401);
    }

    @Test
    void theConfigVersionsAreTheEtagsOfTheDocumentsTheDataPlaneReadsAndMoveWithAChange() {
        Api admin = admin();
        String workspace = newWorkspace(admin, "Versions " + System.nanoTime());
        String token = workspaceToken(admin, workspace);
        Api namespaceReader = anonymous().basic(INSTANCE_SECRET);
        Api workspaceReader = anonymous().basic(token);
        String namespacePath = "/data-plane/v1/namespaces/default/config";
        String workspacePath = "/workspaceConfig?fetchAll=true";

        JsonNode before = admin.get("/api/v1/suite/health").body().get("configVersions");
        assertThat(quoted(before, "namespace:default"))
                .isEqualTo(namespaceReader.get(namespacePath).header("ETag"));
        assertThat(quoted(before, "workspace:" + workspace))
                .isEqualTo(workspaceReader.get(workspacePath).header("ETag"));

        Api.Reply source = admin.post(
                "/api/v1/workspaces/" + workspace + "/sources",
                java.util.Map.of("name", "Versions site", "type", "HTTP"));
        assertThat(source.status()).as(source.text()).isEqualTo(201);

        JsonNode after = admin.get("/api/v1/suite/health").body().get("configVersions");
        assertThat(quoted(after, "workspace:" + workspace))
                .isNotEqualTo(quoted(before, "workspace:" + workspace))
                .isEqualTo(workspaceReader.get(workspacePath).header("ETag"));
        assertThat(quoted(after, "namespace:default"))
                .isNotEqualTo(quoted(before, "namespace:default"))
                .isEqualTo(namespaceReader.get(namespacePath).header("ETag"));
    }

    @Test
    void aMemberOrTokenSeesTheConfigVersionsOfItsOwnWorkspacesOnlyAndTheInstanceAdminSeesAll() {
        Api admin = admin();
        String ours = newWorkspace(admin, "Versions ours " + System.nanoTime());
        String theirs = newWorkspace(admin, "Versions theirs " + System.nanoTime());
        Api viewer = member(admin, ours, "versions.viewer" + System.nanoTime() + "@test.local", "VIEWER");
        Api.Reply created = admin.post(
                "/api/v1/workspaces/" + ours + "/api-tokens", java.util.Map.of("name", "health", "role", "VIEWER"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        Api token = anonymous().bearer(created.body().get("value").asString());

        for (Api caller : java.util.List.of(viewer, token)) {
            Api.Reply reply = caller.get("/api/v1/suite/health");
            assertThat(reply.status()).isEqualTo(200);
            JsonNode versions = reply.body().get("configVersions");
            assertThat(versions.has("namespace:default"))
                    .as(versions.toString())
                    .isTrue();
            assertThat(versions.has("workspace:" + ours))
                    .as(versions.toString())
                    .isTrue();
            // another workspace's id, and when its config changes, are not this caller's to know
            assertThat(reply.text()).doesNotContain(theirs);
        }
        JsonNode all = admin.get("/api/v1/suite/health").body().get("configVersions");
        assertThat(all.has("workspace:" + ours) && all.has("workspace:" + theirs))
                .as(all.toString())
                .isTrue();
    }

    private static String quoted(JsonNode versions, String scope) {
        JsonNode version = versions.get(scope);
        assertThat(version).as("version of " + scope + " in " + versions).isNotNull();
        return "\"" + version.asString() + "\"";
    }
}
