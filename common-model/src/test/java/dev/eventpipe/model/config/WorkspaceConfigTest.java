package dev.eventpipe.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.model.json.Json;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class WorkspaceConfigTest {
    static byte[] example() throws IOException {
        try (InputStream in = WorkspaceConfigTest.class.getResourceAsStream("/workspaceConfig.json")) {
            return in.readAllBytes();
        }
    }

    @Test
    void readsRudderStacksExampleShape() throws IOException {
        WorkspaceConfig config = Json.read(example(), WorkspaceConfig.class);
        assertThat(config.workspaceId()).isEqualTo("ws-1");
        Source source = config.sources().getFirst();
        assertThat(source.writeKey()).isEqualTo("wk-1");
        assertThat(source.sourceDefinition().name()).isEqualTo("HTTP");
        assertThat(source.isWebhook()).isFalse();
        Destination d = source.destinations().getFirst();
        assertThat(d.isProcessorEnabled()).isTrue();
        assertThat(d.type()).isEqualTo("WEBHOOK");
        assertThat(d.destinationDefinition().displayName()).isEqualTo("Webhook");
        assertThat(d.destinationDefinition().config().supportedMessageTypes()).contains("track", "alias");
        assertThat(d.destinationDefinition().config().other()).containsKey("secretKeys");
        assertThat(d.config()).containsEntry("webhookMethod", "POST");
        assertThat(d.userTransformation())
                .get()
                .extracting(TransformationRef::versionId)
                .isEqualTo("v-1");
    }

    @Test
    void writesTheSameShapeBack() throws IOException {
        WorkspaceConfig config = Json.read(example(), WorkspaceConfig.class);
        String written = Json.writeString(config);
        assertThat(written).contains("\"isProcessorEnabled\":true", "\"writeKey\":\"wk-1\"");
        assertThat(Json.read(written, WorkspaceConfig.class)).isEqualTo(config);
    }

    @Test
    void indexLooksUpByWriteKeySourceAndDestination() throws IOException {
        ConfigIndex index = ConfigIndex.of(Json.read(example(), WorkspaceConfig.class));
        assertThat(index.sourceByWriteKey("wk-1"))
                .get()
                .extracting(Source::id)
                .isEqualTo("xxxyyyzzEaEurW247ad9WYZLUyk");
        assertThat(index.sourceByWriteKey("nope")).isEmpty();
        assertThat(index.destinationsOf("xxxyyyzzEaEurW247ad9WYZLUyk")).hasSize(1);
        assertThat(index.destinationById("xxxyyyzzP9kQfzOoKd1tuxchYAG")).isPresent();
    }
}
