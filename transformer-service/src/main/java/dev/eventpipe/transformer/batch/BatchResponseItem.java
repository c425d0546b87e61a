package dev.eventpipe.transformer.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One element of the {@code /batch} answer: {@code {batchedRequest, metadata: [...], destination, batched: true,
 * statusCode: 200}} or {@code {metadata: [...], batched: false, statusCode: 400, error}}. The metadata list holds
 * the metadata of every input item the element answers, in input order. The request is the exact JSON the batch
 * module produced, written through without a second parse.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchResponseItem(
        @JsonRawValue @Nullable String batchedRequest,
        List<JsonNode> metadata,
        @Nullable JsonNode destination,
        boolean batched,
        int statusCode,
        @Nullable String error) {

    public static final int OK = 200;
    public static final int FAILED = 400;
    public static final int RETRY = 500;

    static BatchResponseItem batched(String requestJson, List<JsonNode> metadata, @Nullable JsonNode destination) {
        return new BatchResponseItem(requestJson, metadata, destination, true, OK, null);
    }

    static BatchResponseItem failed(List<JsonNode> metadata, int status, String error) {
        return new BatchResponseItem(null, metadata, null, false, status, error);
    }
}
