package dev.eventpipe.configbackend.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.Api;
import dev.eventpipe.configbackend.BackendIT;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DataPlaneRelayIT extends BackendIT {
    static {
        // the relay sends the installation's service token (read from the environment or this system property)
        System.setProperty("SERVICE_TOKEN", "relay-test-service-token");
    }

    @Test
    void aMemberReachesTheDataPlaneServicesForTheirWorkspaceOnly() {
        Api admin = admin();
        String workspace = newWorkspace(admin, "Relay " + System.nanoTime());
        String other = newWorkspace(admin, "Other relay " + System.nanoTime());
        Api viewer = member(admin, workspace, "relay.viewer" + System.nanoTime() + "@test.local", "VIEWER");

        Api.Reply reply =
                viewer.get("/api/v1/dataplane/router/api/v1/failed-events?workspaceId=" + workspace + "&limit=5");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode echo = reply.body();
        assertThat(echo.get("method").asString()).isEqualTo("GET");
        assertThat(echo.get("path").asString()).isEqualTo("/router/api/v1/failed-events");
        assertThat(echo.get("query").asString()).isEqualTo("workspaceId=" + workspace + "&limit=5");
        assertThat(echo.get("authorization").asString())
                .as("the session token stays here; the service token goes along")
                .isEqualTo("Bearer relay-test-service-token");

        assertThat(viewer.get("/api/v1/dataplane/processor/api/v1/stats?workspaceId=" + other)
                        .status())
                .isEqualTo(404);
        assertThat(viewer.post(
                                "/api/v1/dataplane/router/api/v1/failed-events/replay?workspaceId=" + workspace,
                                Map.of("jobIds", List.of(1)))
                        .status())
                .as("replay changes state: editors only")
                .isEqualTo(403);
        assertThat(viewer.get("/api/v1/dataplane/router/api/v1/failed-events/7").status())
                .as("every data-plane call names its workspace")
                .isEqualTo(400);
        assertThat(admin.get("/api/v1/dataplane/router/api/v1/failed-events/7").status())
                .isEqualTo(400);
        assertThat(admin.get("/api/v1/dataplane/router/api/v1/failed-events/7?workspaceId=" + workspace)
                        .status())
                .isEqualTo(200);
        assertThat(anonymous()
                        .get("/api/v1/dataplane/router/api/v1/stats?workspaceId=" + workspace)
                        .status())
                .isEqualTo(401);
        assertThat(admin.get("/api/v1/dataplane/elsewhere/x").status()).isEqualTo(404);
    }

    @Test
    void onlyListedCallsAreRelayedAndOnlyForTheWorkspaceTheCallerWasCheckedFor() {
        Api admin = admin();
        String workspace = newWorkspace(admin, "Relay list " + System.nanoTime());
        String other = newWorkspace(admin, "Relay victim " + System.nanoTime());
        Api editor = member(admin, workspace, "relay.list" + System.nanoTime() + "@test.local", "EDITOR");

        assertThat(admin.post("/api/v1/dataplane/transformer/customTransform?workspaceId=" + workspace, List.of())
                        .status())
                .as("the transformer's production API is not relayed")
                .isEqualTo(404);
        assertThat(admin.get("/api/v1/dataplane/router/actuator/env?workspaceId=" + workspace)
                        .status())
                .isEqualTo(404);
        assertThat(editor.get("/api/v1/dataplane/router/api/v1/failed-events?workspaceId=" + workspace + "&workspaceId="
                                + other)
                        .status())
                .as("a second workspaceId cannot smuggle another workspace through")
                .isEqualTo(400);
        Api.Reply reply = editor.get(
                "/api/v1/dataplane/processor/api/v1/events/recent?limit=3&workspaceId=" + workspace + "&workspaceId=");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("query").asString()).isEqualTo("workspaceId=" + workspace + "&limit=3");
    }

    @Test
    void anEditorTestsTransformationCodeThroughTheTransformer() {
        Api admin = admin();
        String workspace = newWorkspace(admin, "Relay code " + System.nanoTime());
        Api editor = member(admin, workspace, "relay.editor" + System.nanoTime() + "@test.local", "EDITOR");
        Api.Reply reply = editor.post(
                "/api/v1/dataplane/transformer/transformation/test",
                Map.of("code", "function transformEvent(e){return e;}", "events", List.of(Map.of("type", "track"))));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("path").asString()).isEqualTo("/transformer/transformation/test");
        assertThat(reply.body().get("body").asString()).contains("transformEvent");
    }
}
