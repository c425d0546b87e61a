package dev.eventpipe.processor.pipeline;

import dev.eventpipe.model.json.Json;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The mapper for events and transformer payloads: the shared one, but decimals are read as BigDecimal and kept
 * as written, so an event's numbers reach the destination digit for digit after the processor re-serialises it.
 */
public final class EventJson {
    public static final JsonMapper MAPPER = Json.mapper()
            .rebuild()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private EventJson() {}
}
