package dev.eventpipe.configbackend.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.configbackend.Api;
import dev.eventpipe.configbackend.BackendIT;
import dev.eventpipe.model.config.ConfigClientSettings;
import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.LastGoodConfigStore;
import dev.eventpipe.model.config.Source;
import dev.eventpipe.model.config.WorkspaceConfig;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.model.json.Json;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WorkspaceConfigIT extends BackendIT {
    Api admin;
    String workspace;
    String token;
    String sourceId;
    String writeKey;
    String destinationId;

    @BeforeEach
    void pipeline() {
        admin = admin();
        workspace = newWorkspace(admin, "Config " + System.nanoTime());
        token = workspaceToken(admin, workspace);
        Api.Reply source = admin.post(ws("/sources"), Map.of("name", "Web", "type", "HTTP"));
        sourceId = source.body().get("id").asString();
        writeKey = source.body().get("writeKey").asString();
        Api.Reply destination = admin.post(
                ws("/destinations"),
                Map.of(
                        "name",
                        "Hook",
                        "type",
                        "WEBHOOK",
                        "config",
                        Map.of(
                                "webhookUrl",
                                "http://127.0.0.1:9/hook",
                                "webhookMethod",
                                "POST",
                                "headers",
                                List.of(Map.of("from", "Authorization", "to", "Bearer s3cret")))));
        assertThat(destination.status()).as(destination.text()).isEqualTo(201);
        destinationId = destination.body().get("id").asString();
        Api.Reply connection =
                admin.post(ws("/connections"), Map.of("sourceId", sourceId, "destinationId", destinationId));
        assertThat(connection.status()).as(connection.text()).isEqualTo(201);
    }

    @Test
    void theConfigHasEveryFieldOfRudderStacksExampleAndParsesAsTheDataPlanesModel() throws Exception {
        Api.Reply reply = anonymous().basic(token).get("/workspaceConfig?fetchAll=true");
        assertThat(reply.status()).isEqualTo(200);

        JsonNode example;
        try (InputStream in = getClass().getResourceAsStream("/rudderstack-workspace-config-example.json")) {
            example = Json.mapper().readTree(in);
        }
        List<String> missing = new ArrayList<>();
        missingFields(example, reply.body(), "$", missing);
        // supportedSourceTypes: our catalogue does not restrict source types; absent means "any" to the data plane
        assertThat(missing)
                .containsExactly("$.sources[0].destinations[0].destinationDefinition.config.supportedSourceTypes");

        WorkspaceConfig config = Json.read(reply.text(), WorkspaceConfig.class);
        assertThat(config.workspaceId()).isEqualTo(workspace);
        Source source = config.sources().getFirst();
        assertThat(source.writeKey()).isEqualTo(writeKey);
        assertThat(source.sourceDefinition().name()).isEqualTo("HTTP");
        Destination destination = source.destinations().getFirst();
        assertThat(destination.id()).isEqualTo(destinationId);
        assertThat(destination.type()).isEqualTo("WEBHOOK");
        assertThat(destination.destinationDefinition().config().supportedMessageTypes())
                .contains("track", "identify");
        assertThat(destination.config()).containsEntry("webhookUrl", "http://127.0.0.1:9/hook");
        assertThat(config.connections()).hasSize(1);
    }

    @Test
    void secretsReachTheDataPlaneInClearButPeopleSeeThemMasked() {
        JsonNode config =
                anonymous().basic(token).get("/workspaceConfig?fetchAll=true").body();
        assertThat(config.at("/sources/0/destinations/0/config/headers/0/to").asString())
                .isEqualTo("Bearer s3cret");
        JsonNode shown = admin.get(ws("/destinations/" + destinationId)).body();
        assertThat(shown.at("/config/headers/0/to").asString()).isEqualTo("********");
        assertThat(shown.at("/config/headers/0/from").asString()).isEqualTo("Authorization");
    }

    @Test
    void anUnchangedConfigIsAnsweredWithNotModifiedAndAChangeMovesTheEtag() {
        Api dataPlane = anonymous().basic(token);
        Api.Reply first = dataPlane.get("/workspaceConfig?fetchAll=true");
        String etag = first.header("ETag");
        assertThat(etag).startsWith("\"");

        Api.Reply again = dataPlane.get("/workspaceConfig?fetchAll=true", Map.of("If-None-Match", etag));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.text()).isEmpty();

        admin.patch(ws("/sources/" + sourceId), Map.of("name", "Web renamed"));
        Api.Reply changed = dataPlane.get("/workspaceConfig?fetchAll=true", Map.of("If-None-Match", etag));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
        assertThat(changed.body().at("/sources/0/name").asString()).isEqualTo("Web renamed");
    }

    @Test
    void onlyEnabledConnectionsBringTheirDestinations() {
        String connectionId =
                admin.get(ws("/connections")).body().get(0).get("id").asString();
        admin.patch(ws("/connections/" + connectionId), Map.of("enabled", false));
        JsonNode config =
                anonymous().basic(token).get("/workspaceConfig?fetchAll=true").body();
        assertThat(config.at("/sources/0/destinations").size()).isZero();
        assertThat(config.get("connections").size()).isZero();
    }

    @Test
    void theDataPlaneEndpointsRefuseMissingAndUnknownTokens() {
        Api.Reply none = anonymous().get("/workspaceConfig?fetchAll=true");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Basic");
        assertThat(anonymous().basic("not-a-token").get("/workspaceConfig").status())
                .isEqualTo(401);
        assertThat(anonymous()
                        .basic("not-a-token")
                        .get("/transformation/getByVersionId?versionId=x")
                        .status())
                .isEqualTo(401);
        // a person's session is not a workspace token
        assertThat(admin.get("/workspaceConfig").status()).isEqualTo(401);
    }

    @Test
    void theTransformerGetsCodeByVersionIdAndNotFoundForUnknownVersions() {
        Api.Reply created = admin.post(
                ws("/transformations"),
                Map.of("name", "Uppercase", "code", "export function transformEvent(e) { return e; }"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String transformationId = created.body().get("id").asString();
        String versionId = created.body().at("/latestVersion/id").asString();
        admin.patch(ws("/destinations/" + destinationId), Map.of("transformationVersionId", versionId));

        Api dataPlane = anonymous().basic(token);
        JsonNode ref = dataPlane
                .get("/workspaceConfig?fetchAll=true")
                .body()
                .at("/sources/0/destinations/0/transformations/0");
        assertThat(ref.get("id").asString()).isEqualTo(transformationId);
        assertThat(ref.get("versionId").asString()).isEqualTo(versionId);
        assertThat(ref.get("language").asString()).isEqualTo("javascript");

        Api.Reply code = dataPlane.get("/transformation/getByVersionId?versionId=" + versionId);
        assertThat(code.status()).isEqualTo(200);
        assertThat(code.body().get("id").asString()).isEqualTo(transformationId);
        assertThat(code.body().get("versionId").asString()).isEqualTo(versionId);
        assertThat(code.body().get("workspaceId").asString()).isEqualTo(workspace);
        assertThat(code.body().get("name").asString()).isEqualTo("Uppercase");
        assertThat(code.body().get("code").asString()).contains("transformEvent");
        assertThat(code.body().get("language").asString()).isEqualTo("javascript");
        assertThat(code.body().has("createdAt")).isTrue();

        assertThat(dataPlane
                        .get("/transformation/getByVersionId?versionId=unknown")
                        .status())
                .isEqualTo(404);
        String otherToken = workspaceToken(admin, newWorkspace(admin, "Other " + System.nanoTime()));
        assertThat(anonymous()
                        .basic(otherToken)
                        .get("/transformation/getByVersionId?versionId=" + versionId)
                        .status())
                .as("another workspace's token cannot read this workspace's code")
                .isEqualTo(404);
    }

    @Test
    void aDataPlaneClientPicksUpAChangeMadeThroughTheApi() {
        var settings = new ConfigClientSettings(
                null, "http://127.0.0.1:" + port, token, null, "", Duration.ofHours(1), Duration.ofSeconds(10));
        try (WorkspaceConfigClient client =
                WorkspaceConfigClient.create(settings, LastGoodConfigStore.NONE).start()) {
            assertThat(client.hasLoaded()).isTrue();
            assertThat(client.current().sourceByWriteKey(writeKey)).isPresent();
            assertThat(client.current()
                            .destinationById(destinationId)
                            .orElseThrow()
                            .config())
                    .containsEntry("webhookUrl", "http://127.0.0.1:9/hook");

            Api.Reply patched = admin.patch(
                    ws("/destinations/" + destinationId),
                    Map.of("config", Map.of("webhookUrl", "http://127.0.0.1:9/changed", "webhookMethod", "PUT")));
            assertThat(patched.status()).as(patched.text()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(client.refresh()).isTrue();
                assertThat(client.current()
                                .destinationById(destinationId)
                                .orElseThrow()
                                .config())
                        .containsEntry("webhookUrl", "http://127.0.0.1:9/changed")
                        .containsEntry("webhookMethod", "PUT");
            });
        }
    }

    private String ws(String path) {
        return "/api/v1/workspaces/" + workspace + path;
    }

    /** Paths of fields present in {@code expected} but not in {@code actual}; arrays compare their first element. */
    static void missingFields(JsonNode expected, JsonNode actual, String path, List<String> missing) {
        if (expected.isObject()) {
            for (String name : expected.propertyNames()) {
                if (!actual.has(name)) missing.add(path + "." + name);
                else missingFields(expected.get(name), actual.get(name), path + "." + name, missing);
            }
        } else if (expected.isArray() && !expected.isEmpty() && expected.get(0).isContainer()) {
            if (actual.isEmpty()) missing.add(path + "[0]");
            else missingFields(expected.get(0), actual.get(0), path + "[0]", missing);
        }
    }
}
