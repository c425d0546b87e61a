package dev.eventpipe.configbackend.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.Api;
import dev.eventpipe.configbackend.BackendIT;
import dev.eventpipe.model.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ExportImportIT extends BackendIT {

    @Test
    void anExportImportsIntoAnotherWorkspaceAndAgainWithoutChangingAnything() {
        Api admin = admin();
        String origin = newWorkspace(admin, "Origin " + System.nanoTime());
        String version = admin.post(
                        "/api/v1/workspaces/" + origin + "/transformations",
                        Map.of("name", "Clean", "code", "function transformEvent(e){return e;}"))
                .body()
                .at("/latestVersion/id")
                .asString();
        admin.post(
                "/api/v1/workspaces/" + origin + "/transformations/"
                        + admin.get("/api/v1/workspaces/" + origin + "/transformations")
                                .body()
                                .get(0)
                                .get("id")
                                .asString()
                        + "/versions",
                Map.of("code", "function transformEvent(e){return null;}"));
        String source = admin.post("/api/v1/workspaces/" + origin + "/sources", Map.of("name", "Web"))
                .body()
                .get("id")
                .asString();
        String destination = admin.post(
                        "/api/v1/workspaces/" + origin + "/destinations",
                        Map.of(
                                "name",
                                "Hook",
                                "type",
                                "WEBHOOK",
                                "config",
                                Map.of(
                                        "webhookUrl",
                                        "http://127.0.0.1:9/h",
                                        "headers",
                                        List.of(Map.of("from", "K", "to", "secret"))),
                                "transformationVersionId",
                                version))
                .body()
                .get("id")
                .asString();
        admin.post(
                "/api/v1/workspaces/" + origin + "/connections",
                Map.of("sourceId", source, "destinationId", destination, "enabled", false));

        JsonNode exported =
                admin.get("/api/v1/workspaces/" + origin + "/export").body();
        assertThat(exported.get("format").asString()).isEqualTo("eventpipe.workspace/v1");
        assertThat(exported.toString()).doesNotContain("secret\"").doesNotContain(source);
        assertThat(exported.at("/destinations/0/transformation/version").asInt())
                .isEqualTo(1);

        // same workspace: nothing changes, nothing is audited
        int auditBefore =
                admin.get("/api/v1/workspaces/" + origin + "/audit-log").body().size();
        JsonNode again =
                admin.post("/api/v1/workspaces/" + origin + "/import", exported).body();
        assertThat(again.get("created").asInt()).isZero();
        assertThat(again.get("updated").asInt()).isZero();
        assertThat(admin.get("/api/v1/workspaces/" + origin + "/audit-log")
                        .body()
                        .size())
                .isEqualTo(auditBefore);

        // another workspace: masked secrets must be given in clear there
        String copy = newWorkspace(admin, "Copy " + System.nanoTime());
        ObjectNode file = (ObjectNode) exported.deepCopy();
        ((ObjectNode) file.at("/destinations/0/config/headers/0")).put("to", "secret");
        Api.Reply first = admin.post("/api/v1/workspaces/" + copy + "/import", file);
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(first.body().get("created").asInt()).isEqualTo(4);

        Api.Reply second = admin.post("/api/v1/workspaces/" + copy + "/import", file);
        assertThat(second.body().get("created").asInt()).isZero();
        assertThat(second.body().get("updated").asInt()).isZero();
        assertThat(second.body().get("unchanged").asInt()).isEqualTo(4);

        JsonNode copied = admin.get("/api/v1/workspaces/" + copy + "/export").body();
        ((ObjectNode) copied).remove("workspace");
        ObjectNode expected = (ObjectNode) exported.deepCopy();
        expected.remove("workspace");
        assertThat(copied).isEqualTo(expected);
        String token = workspaceToken(admin, copy);
        JsonNode config = anonymous().basic(token).get("/workspaceConfig").body();
        assertThat(config.get("connections").size())
                .as("the connection was exported disabled")
                .isZero();
    }

    @Test
    void aChangedFileUpdatesOnlyWhatDiffersAndRefusesToRewriteAVersion() {
        Api admin = admin();
        String workspace = newWorkspace(admin, "Changes " + System.nanoTime());
        String file = """
                {"format":"eventpipe.workspace/v1","transformations":[{"name":"T","versions":[{"version":1,"code":"a"}]}],
                 "sources":[{"name":"S","type":"HTTP","enabled":true,"config":{}}],
                 "destinations":[{"name":"D","type":"WEBHOOK","enabled":true,"config":{"webhookUrl":"http://127.0.0.1:9"}}],
                 "connections":[{"source":"S","destination":"D","enabled":true}]}
                """;
        assertThat(admin.post("/api/v1/workspaces/" + workspace + "/import", file)
                        .body()
                        .get("created")
                        .asInt())
                .isEqualTo(4);
        JsonNode changed = Json.mapper()
                .readTree(file.replace("\"enabled\":true,\"config\":{}", "\"enabled\":false,\"config\":{}"));
        JsonNode result = admin.post("/api/v1/workspaces/" + workspace + "/import", changed)
                .body();
        assertThat(result.get("updated").asInt()).isEqualTo(1);
        assertThat(result.get("unchanged").asInt()).isEqualTo(3);

        Api.Reply rewrite = admin.post(
                "/api/v1/workspaces/" + workspace + "/import", file.replace("\"code\":\"a\"", "\"code\":\"b\""));
        assertThat(rewrite.status()).isEqualTo(409);

        Api.Reply invalid = admin.post(
                "/api/v1/workspaces/" + workspace + "/import",
                file.replace("{\"webhookUrl\":\"http://127.0.0.1:9\"}", "{}")
                        .replace("\"name\":\"D\"", "\"name\":\"E\""));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body().at("/errors/0/field").asString()).isEqualTo("config.webhookUrl");
        assertThat(admin.get("/api/v1/workspaces/" + workspace + "/destinations")
                        .body()
                        .findValuesAsString("name"))
                .as("a failed import changes nothing")
                .containsExactly("D");
    }
}
