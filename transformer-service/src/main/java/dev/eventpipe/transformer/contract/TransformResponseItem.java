package dev.eventpipe.transformer.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One element of the response array: {@code {output, metadata, statusCode: 200}} or
 * {@code {statusCode: 400|298, error, metadata}}. The output is the exact JSON the script produced, written through
 * without a second parse.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransformResponseItem(
        @JsonRawValue @Nullable String output,
        @Nullable JsonNode metadata,
        int statusCode,
        @Nullable String error,
        @Nullable JsonNode statTags) {

    public static final int OK = 200;
    public static final int FILTERED = 298;
    public static final int FAILED = 400;

    public static TransformResponseItem success(String outputJson, @Nullable JsonNode metadata) {
        return new TransformResponseItem(outputJson, metadata, OK, null, null);
    }

    public static TransformResponseItem failure(String error, @Nullable JsonNode metadata) {
        return new TransformResponseItem(null, metadata, FAILED, error, null);
    }

    public static TransformResponseItem failure(String error, @Nullable JsonNode metadata, JsonNode statTags) {
        return new TransformResponseItem(null, metadata, FAILED, error, statTags);
    }

    public static TransformResponseItem filtered(@Nullable JsonNode metadata) {
        return new TransformResponseItem(null, metadata, FILTERED, null, null);
    }
}
