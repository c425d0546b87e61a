package dev.eventpipe.configbackend.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.Api;
import dev.eventpipe.configbackend.BackendIT;
import dev.eventpipe.model.config.ConfigClientSettings;
import dev.eventpipe.model.config.LastGoodConfigStore;
import dev.eventpipe.model.config.WorkspaceConfig;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.model.config.WorkspaceConfigs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One data plane serves every workspace: the namespace config, read with the instance-wide secret. */
class NamespaceConfigIT extends BackendIT {
    private static final String PATH = "/data-plane/v1/namespaces/default/config";

    private record Created(String workspace, String token, String sourceId, String writeKey) {}

    private Created workspaceWithSource(Api admin, String name) {
        String workspace = newWorkspace(admin, name + " " + System.nanoTime());
        String token = workspaceToken(admin, workspace);
        Api.Reply source = admin.post(
                "/api/v1/workspaces/" + workspace + "/sources", Map.of("name", name + " site", "type", "HTTP"));
        assertThat(source.status()).as(source.text()).isEqualTo(201);
        return new Created(
                workspace,
                token,
                source.body().get("id").asString(),
                source.body().get("writeKey").asString());
    }

    @Test
    void theInstanceSecretReadsEveryWorkspaceInRudderStacksNamespaceShape() {
        Api admin = admin();
        Created a = workspaceWithSource(admin, "Alpha");
        Created b = workspaceWithSource(admin, "Beta");

        Api.Reply reply = anonymous().basic(INSTANCE_SECRET).get(PATH);

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(reply.body().at("/" + a.workspace() + "/sources/0/writeKey").asString())
                .isEqualTo(a.writeKey());
        assertThat(reply.body().at("/" + b.workspace() + "/sources/0/writeKey").asString())
                .isEqualTo(b.writeKey());
        List<WorkspaceConfig> parsed = WorkspaceConfigs.parse(reply.text().getBytes(StandardCharsets.UTF_8));
        assertThat(parsed).extracting(WorkspaceConfig::workspaceId).contains(a.workspace(), b.workspace());
    }

    @Test
    void anUnchangedInstanceCostsANotModifiedAndANewWorkspaceMovesTheEtag() {
        Api dataPlane = anonymous().basic(INSTANCE_SECRET);
        String etag = dataPlane.get(PATH).header("ETag");

        assertThat(dataPlane.get(PATH, Map.of("If-None-Match", etag)).status()).isEqualTo(304);
        workspaceWithSource(admin(), "Gamma");
        Api.Reply changed = dataPlane.get(PATH, Map.of("If-None-Match", etag));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
    }

    @Test
    void aWorkspaceTokenCannotReadOtherWorkspacesAndTheSecretNamesNoSingleWorkspace() {
        Created a = workspaceWithSource(admin(), "Delta");

        assertThat(anonymous().basic(a.token()).get(PATH).status()).isEqualTo(403);
        assertThat(anonymous().get(PATH).status()).isEqualTo(401);
        assertThat(anonymous().basic("not-the-secret").get(PATH).status()).isEqualTo(401);
        assertThat(anonymous()
                        .basic(INSTANCE_SECRET)
                        .get("/data-plane/v1/namespaces/other/config")
                        .status())
                .isEqualTo(404);
        assertThat(anonymous()
                        .basic(INSTANCE_SECRET)
                        .get("/workspaceConfig?fetchAll=true")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void theTransformerWithTheInstanceSecretGetsAnyWorkspacesCode() {
        Api admin = admin();
        Created a = workspaceWithSource(admin, "Epsilon");
        Api.Reply created = admin.post(
                "/api/v1/workspaces/" + a.workspace() + "/transformations",
                Map.of("name", "Same", "code", "export function transformEvent(e) { return e; }"));
        String versionId = created.body().at("/latestVersion/id").asString();

        Api.Reply code =
                anonymous().basic(INSTANCE_SECRET).get("/transformation/getByVersionId?versionId=" + versionId);

        assertThat(code.status()).as(code.text()).isEqualTo(200);
        assertThat(code.body().get("code").asString()).contains("transformEvent");
    }

    @Test
    void aDataPlaneClientInNamespaceModeKnowsTheSourcesOfEveryWorkspace() {
        Api admin = admin();
        Created a = workspaceWithSource(admin, "Zeta");
        Created b = workspaceWithSource(admin, "Eta");
        var settings = new ConfigClientSettings(
                null,
                "http://127.0.0.1:" + port,
                "",
                "default",
                INSTANCE_SECRET,
                Duration.ofHours(1),
                Duration.ofSeconds(10));

        try (WorkspaceConfigClient client =
                WorkspaceConfigClient.create(settings, LastGoodConfigStore.NONE).start()) {
            assertThat(client.hasLoaded()).isTrue();
            assertThat(client.current()
                            .sourceByWriteKey(a.writeKey())
                            .orElseThrow()
                            .workspaceId())
                    .isEqualTo(a.workspace());
            assertThat(client.current()
                            .sourceByWriteKey(b.writeKey())
                            .orElseThrow()
                            .workspaceId())
                    .isEqualTo(b.workspace());
        }
    }
}
