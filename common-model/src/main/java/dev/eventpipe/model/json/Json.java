package dev.eventpipe.model.json;

import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON codec of the shared model. Unknown properties are ignored, so a newer RudderStack config or a
 * client's extra fields never break a reader; the mapper is immutable and thread-safe.
 */
public final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** Numbers as they were written: decimals as BigDecimal (trailing zeros kept), written without exponent. */
    private static final JsonMapper EXACT = MAPPER.rebuild()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private Json() {}

    public static JsonMapper mapper() {
        return MAPPER;
    }

    /**
     * A mapper that keeps numbers digit for digit: {@code 19999999.99}, {@code 0.0005} and
     * {@code 123456789012345678901234567890} are read and written back exactly (the default mapper reads decimals
     * as doubles and writes {@code 1.999999999E7}). Decimals are written in plain notation ({@code 1e21} becomes
     * {@code 1000000000000000000000}, as PostgreSQL's jsonb writes it). For payloads whose numbers reach a
     * destination.
     */
    public static JsonMapper exact() {
        return EXACT;
    }

    /**
     * What {@code mapper}'s serialisation gives its generators (its stream and format write features; no schema,
     * character escapes or pretty printer), without the serialisation context that {@code createGenerator} builds
     * for every generator: for hot paths that write straight to a generator of {@code mapper.tokenStreamFactory()}.
     */
    public static ObjectWriteContext generatorContext(JsonMapper mapper) {
        int streamFeatures = mapper.serializationConfig().getStreamWriteFeatures();
        int formatFeatures = mapper.serializationConfig().getFormatWriteFeatures();
        return new ObjectWriteContext.Base() {
            @Override
            public int getStreamWriteFeatures(int defaults) {
                return streamFeatures;
            }

            @Override
            public int getFormatWriteFeatures(int defaults) {
                return formatFeatures;
            }
        };
    }

    public static <T> T read(byte[] json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }

    public static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }

    public static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    public static String writeString(Object value) {
        return MAPPER.writeValueAsString(value);
    }
}
