package dev.eventpipe.router.batching;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.model.json.Json;
import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.support.RawPeer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchTransformerClientTest {

    @Test
    void aTransformerThatSendsHeadersThenStallsIsGivenUpOnLikeOneThatIsDown() throws Exception {
        try (RawPeer transformer = new RawPeer((request, out) -> {
                    out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n[{"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    RawPeer.stall(Duration.ofSeconds(60));
                });
                BatchTransformerClient client = new BatchTransformerClient(
                        new RouterProperties.Transformer(
                                transformer.url(""), Duration.ofSeconds(1), Duration.ofMinutes(1)),
                        InstantSource.system())) {
            var input = new BatchTransformerClient.Input(
                    "{\"endpoint\":\"http://x\"}", Json.mapper().createObjectNode());
            assertThatThrownBy(() -> client.batch(
                            "WEBHOOK", List.of(input), Json.mapper().createObjectNode()))
                    .isInstanceOf(BatchTransformerClient.TransformerUnavailableException.class)
                    .hasMessageContaining("within");
        }
    }
}
