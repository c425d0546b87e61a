package dev.eventpipe.configbackend.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.Api;
import dev.eventpipe.configbackend.BackendIT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RudderStack's SDKs pointed at the control plane: {@code GET /sourceConfig}. */
class SourceConfigIT extends BackendIT {
    Api admin;
    String workspace;
    String sourceId;
    String writeKey;

    @BeforeEach
    void source() {
        admin = admin();
        workspace = newWorkspace(admin, "Sdk " + System.nanoTime());
        Api.Reply source = admin.post(ws("/sources"), Map.of("name", "Website", "type", "Javascript"));
        sourceId = source.body().get("id").asString();
        writeKey = source.body().get("writeKey").asString();
        Api.Reply hook = admin.post(
                ws("/destinations"),
                Map.of(
                        "name",
                        "Hook",
                        "type",
                        "WEBHOOK",
                        "config",
                        Map.of(
                                "webhookUrl",
                                "http://127.0.0.1:9/private-hook",
                                "webhookMethod",
                                "POST",
                                "headers",
                                List.of(Map.of("from", "Authorization", "to", "Bearer hook-secret")))));
        admin.post(
                ws("/connections"),
                Map.of(
                        "sourceId",
                        sourceId,
                        "destinationId",
                        hook.body().get("id").asString()));
    }

    private String ws(String path) {
        return "/api/v1/workspaces/" + workspace + path;
    }

    @Test
    void theJsSdksRequestGetsTheSourceWithoutCloudDestinationsOrTheirSecrets() {
        Api.Reply reply = anonymous()
                .basic(writeKey)
                .get("/sourceConfig/?p=npm&v=3.34.1&build=modern&writeKey=" + writeKey
                        + "&lockIntegrationsVersion=false&lockPluginsVersion=false");

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(reply.body().at("/source/id").asString()).isEqualTo(sourceId);
        assertThat(reply.body().at("/source/workspaceId").asString()).isEqualTo(workspace);
        assertThat(reply.body().at("/source/writeKey").asString()).isEqualTo(writeKey);
        assertThat(reply.body().at("/source/enabled").asBoolean()).isTrue();
        assertThat(reply.body().at("/source/config").isObject()).isTrue();
        assertThat(reply.body().at("/source/destinations").size()).isZero();
        assertThat(reply.body().at("/consentManagementMetadata/providers").isArray())
                .isTrue();
        assertThat(reply.text()).doesNotContain("hook-secret", "private-hook");
    }

    @Test
    void theMobileFormAndTheQueryKeyAnswerTheSameAndAnUnchangedConfigIsANotModified() {
        Api.Reply mobile = anonymous().basic(writeKey).get("/sourceConfig?p=ios&v=1.31.0");
        Api.Reply query = anonymous().get("/sourceConfig?writeKey=" + writeKey);

        assertThat(query.text()).isEqualTo(mobile.text());
        Api.Reply again =
                anonymous().basic(writeKey).get("/sourceConfig/", Map.of("If-None-Match", mobile.header("ETag")));
        assertThat(again.status()).isEqualTo(304);
    }

    @Test
    void aDisabledSourceSaysEnabledFalseAndAnUnknownKeyIsRefused() {
        admin.post(ws("/sources/" + sourceId + "/disable"), null);

        Api.Reply disabled = anonymous().basic(writeKey).get("/sourceConfig/");
        Api.Reply unknown = anonymous().basic("not-a-key").get("/sourceConfig/");
        Api.Reply none = anonymous().get("/sourceConfig/");

        assertThat(disabled.body().at("/source/enabled").asBoolean()).isFalse();
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.text()).isEqualTo("invalid write key\n");
        assertThat(none.status()).isEqualTo(401);
    }

    @Test
    void aBrowserOnAnotherSiteMayAskWithItsAuthorizationHeader() throws Exception {
        HttpResponse<String> preflight = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sourceConfig/?writeKey=x"))
                                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                                .header("Origin", "http://shop.localhost:3000")
                                .header("Access-Control-Request-Method", "GET")
                                .header("Access-Control-Request-Headers", "authorization")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue("http://shop.localhost:3000");
        assertThat(preflight
                        .headers()
                        .firstValue("Access-Control-Allow-Headers")
                        .orElse("")
                        .toLowerCase())
                .contains("authorization");
    }
}
