package dev.eventpipe.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class EventJsonTest {
    private final JsonMapper mapper = EventJson.mapper(64);

    @Test
    void numbersAreStoredDigitForDigitNeverThroughADouble() {
        String sent = "{\"price\":19999999.99,\"rate\":0.0005,\"id\":123456789012345678901234567890,\"total\":2.50,"
                + "\"n\":-0.000001,\"i\":42}";
        assertThat(mapper.writeValueAsString(mapper.readTree(sent))).isEqualTo(sent);
    }

    @Test
    void anExponentIsWrittenOutAsPostgresJsonbStoresIt() {
        assertThat(mapper.writeValueAsString(mapper.readTree("{\"big\":1e21,\"small\":5E-4}")))
                .isEqualTo("{\"big\":1000000000000000000000,\"small\":0.0005}");
    }
}
