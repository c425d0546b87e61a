package dev.eventpipe.transformer.batch;

import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.destination.DestinationCatalog;
import dev.eventpipe.transformer.sandbox.ContextPool;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@code POST /batch}: the router's deliveries of one destination type, combined into batched requests by the
 * type's batch module ({@code destinations/<type>/batch.js}), grouped by {@link BatchGrouper} so that sending the
 * answer's elements in order keeps every user's order. Every input item is in exactly one element's metadata.
 */
public final class BatchTransformer {
    private final ContextPool pool;
    private final DestinationCatalog catalog;
    private final JsonMapper json;
    private final MeterRegistry metrics;

    public BatchTransformer(ContextPool pool, DestinationCatalog catalog, JsonMapper json, MeterRegistry metrics) {
        this.pool = pool;
        this.catalog = catalog;
        this.json = json;
        this.metrics = metrics;
    }

    public List<BatchResponseItem> batch(String type, List<TransformRequestItem> items) {
        String destType = type.toUpperCase(Locale.ROOT);
        DestinationCatalog.Entry entry = catalog.find(type).orElse(null);
        List<BatchResponseItem> answer;
        if (entry == null || entry.batchModule() == null) {
            String error = entry == null
                    ? "Destination " + destType + " is not supported"
                    : "Destination " + destType + " does not support batching";
            answer = new ArrayList<>(items.size());
            for (TransformRequestItem item : items) {
                answer.add(BatchResponseItem.failed(
                        List.of(item.metadata() == null ? json.createObjectNode() : item.metadata()),
                        BatchResponseItem.FAILED,
                        error));
            }
        } else {
            answer = new BatchRun(pool, catalog, entry, json, items).answer();
        }
        count(entry == null ? "UNSUPPORTED" : destType, answer);
        return answer;
    }

    /** One count per input item (job), by whether its element is a batched request. */
    private void count(String destType, List<BatchResponseItem> answer) {
        for (BatchResponseItem item : answer) {
            metrics.counter(
                            "transformer.invocations",
                            "kind",
                            "batch",
                            "destination.type",
                            destType,
                            "result",
                            item.statusCode() == BatchResponseItem.OK ? "success" : "failed")
                    .increment(item.metadata().size());
        }
    }
}
