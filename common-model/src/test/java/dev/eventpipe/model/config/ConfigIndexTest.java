package dev.eventpipe.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigIndexTest {
    private static String workspace(String id, String sourceId, String writeKey, String destinationId) {
        return """
                {"workspaceId":"%s","libraries":[{"versionId":"lib-%s"}],"sources":[{"id":"%s","name":"s",\
                "writeKey":"%s","enabled":true,"workspaceId":"%s","sourceDefinition":{"name":"HTTP"},"destinations":[\
                {"id":"%s","name":"d","enabled":true,"workspaceId":"%s","config":{},\
                "destinationDefinition":{"name":"WEBHOOK"}}]}]}""".formatted(id, id, sourceId, writeKey, id, destinationId, id);
    }

    private static List<WorkspaceConfig> parse(String json) {
        return WorkspaceConfigs.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aNamespaceDocumentServesEveryWorkspaceWithItsOwnLibraries() {
        ConfigIndex index = ConfigIndex.of(parse("{\"ws-a\":" + workspace("ws-a", "s-a", "key-a", "d-a") + ",\"ws-b\":"
                + workspace("ws-b", "s-b", "key-b", "d-b") + "}"));

        assertThat(index.workspaces()).containsOnlyKeys("ws-a", "ws-b");
        assertThat(index.sourceByWriteKey("key-b").orElseThrow().workspaceId()).isEqualTo("ws-b");
        assertThat(index.destinationById("d-a").orElseThrow().workspaceId()).isEqualTo("ws-a");
        assertThat(index.workspace("ws-b").orElseThrow().libraries())
                .containsExactly(java.util.Map.of("versionId", "lib-ws-b"));
        assertThat(index.conflicts()).isEmpty();
    }

    @Test
    void aSingleWorkspaceDocumentIsOneWorkspace() {
        List<WorkspaceConfig> configs = parse(workspace("ws-a", "s-a", "key-a", "d-a"));

        assertThat(configs)
                .singleElement()
                .extracting(WorkspaceConfig::workspaceId)
                .isEqualTo("ws-a");
    }

    @Test
    void aNamespaceEntryWithoutItsIdTakesItsKey() {
        List<WorkspaceConfig> configs = parse("{\"ws-x\":{\"updatedAt\":\"2026-01-01T00:00:00Z\"}}");

        assertThat(configs)
                .singleElement()
                .extracting(WorkspaceConfig::workspaceId)
                .isEqualTo("ws-x");
    }

    @Test
    void aKeyClaimedByTwoWorkspacesIsServedByNeither() {
        ConfigIndex index = ConfigIndex.of(parse("{\"ws-a\":" + workspace("ws-a", "s-a", "same-key", "d-same")
                + ",\"ws-b\":" + workspace("ws-b", "s-b", "same-key", "d-same") + "}"));

        assertThat(index.sourceByWriteKey("same-key")).isEmpty();
        assertThat(index.destinationById("d-same")).isEmpty();
        assertThat(index.sourceById("s-a")).isPresent();
        assertThat(index.conflicts()).containsExactlyInAnyOrder("write key same-key", "destination id d-same");
    }

    @Test
    void oneDestinationUnderTwoSourcesOfOneWorkspaceIsNoConflict() {
        String ws = """
                {"workspaceId":"ws","sources":[\
                {"id":"s1","writeKey":"k1","enabled":true,"destinations":[{"id":"d","destinationDefinition":{"name":"W"}}]},\
                {"id":"s2","writeKey":"k2","enabled":true,"destinations":[{"id":"d","destinationDefinition":{"name":"W"}}]}]}""";

        ConfigIndex index = ConfigIndex.of(parse(ws));

        assertThat(index.destinationById("d")).isPresent();
        assertThat(index.conflicts()).isEmpty();
    }

    @Test
    void anUnchangedMarkerOfAnIncrementalUpdateIsRefused() {
        assertThatThrownBy(() -> parse("{\"ws-a\":null}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ws-a");
    }
}
