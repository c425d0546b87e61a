package dev.eventpipe.configbackend.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.configbackend.Api;
import dev.eventpipe.configbackend.BackendIT;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FirstStartIT extends BackendIT {

    @Test
    void theFirstStartCreatesTheAdminAndTheDemoWorkspaceWithTheConfiguredKeys() {
        Api admin = admin();
        JsonNode me = admin.get("/api/v1/auth/me").body();
        assertThat(me.get("instanceAdmin").asBoolean()).isTrue();
        JsonNode demo = admin.get("/api/v1/workspaces").body().findParents("name").stream()
                .filter(w -> w.get("name").asString().equals("Demo"))
                .findFirst()
                .orElseThrow();
        assertThat(me.get("workspaces").findValuesAsString("workspaceId"))
                .contains(demo.get("id").asString());

        JsonNode config = anonymous()
                .basic(DEMO_TOKEN)
                .get("/workspaceConfig?fetchAll=true")
                .body();
        assertThat(config.get("workspaceId").asString())
                .isEqualTo(demo.get("id").asString());
        JsonNode source = config.get("sources").findParents("writeKey").stream()
                .filter(s -> s.get("writeKey").asString().equals(DEMO_WRITE_KEY))
                .findFirst()
                .orElseThrow();
        assertThat(source.get("name").asString()).isEqualTo("Demo HTTP source");
        assertThat(source.at("/sourceDefinition/name").asString()).isEqualTo("HTTP");
    }
}
