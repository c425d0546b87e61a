package dev.eventpipe.transformer.batch;

import dev.eventpipe.transformer.batch.BatchGrouper.Limits;
import dev.eventpipe.transformer.batch.BatchGrouper.Slot;
import dev.eventpipe.transformer.batch.ModuleOutcome.Failed;
import dev.eventpipe.transformer.batch.ModuleOutcome.Returned;
import dev.eventpipe.transformer.contract.ExactNumbers;
import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.destination.DestinationCatalog;
import dev.eventpipe.transformer.sandbox.ContextPool;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One {@code /batch} request of a batching destination type: the module's key for every delivery and limits for
 * every destination, the order-safe grouping ({@link BatchGrouper}), then one {@code combine} per group.
 */
final class BatchRun {
    private final ContextPool pool;
    private final DestinationCatalog catalog;
    private final DestinationCatalog.Entry entry;
    private final JsonMapper json;
    private final List<TransformRequestItem> items;
    private final @Nullable String[] deliveries; // each item's delivery as JSON
    private final String[] destinationIds;
    private final @Nullable Failed[] failures; // why an item is answered alone

    BatchRun(
            ContextPool pool,
            DestinationCatalog catalog,
            DestinationCatalog.Entry entry,
            JsonMapper json,
            List<TransformRequestItem> items) {
        this.pool = pool;
        this.catalog = catalog;
        this.entry = entry;
        this.json = json;
        this.items = items;
        this.deliveries = new String[items.size()];
        this.destinationIds = new String[items.size()];
        this.failures = new Failed[items.size()];
        for (int i = 0; i < items.size(); i++) {
            TransformRequestItem item = items.get(i);
            destinationIds[i] = destinationId(item);
            if (item.message() != null && item.message().isObject()) {
                deliveries[i] = json.writeValueAsString(item.message());
            } else {
                failures[i] = new Failed(BatchResponseItem.FAILED, "message is not a delivery description (an object)");
            }
        }
    }

    List<BatchResponseItem> answer() {
        @Nullable String[] keys = keys();
        Map<String, Limits> limits = limits();
        List<Slot> plan = BatchGrouper.plan(groupingItems(keys), limits::get);
        List<Slot.Group> groups = new ArrayList<>();
        plan.forEach(slot -> {
            if (slot instanceof Slot.Group group) groups.add(group);
        });
        List<ModuleOutcome> combined = combine(groups);
        List<BatchResponseItem> answer = new ArrayList<>(plan.size());
        int next = 0;
        for (Slot slot : plan) {
            answer.add(
                    switch (slot) {
                        case Slot.Single(int i) -> {
                            Failed failed = Objects.requireNonNull(failures[i]);
                            yield BatchResponseItem.failed(List.of(metadata(i)), failed.status(), failed.error());
                        }
                        case Slot.Group group -> combinedAnswer(group, combined.get(next++));
                    });
        }
        return answer;
    }

    private @Nullable String[] keys() {
        List<Integer> asked = batchable();
        List<ModuleOutcome> outcomes = call("key", asked, i -> "[" + deliveries[i] + "]");
        @Nullable String[] keys = new String[items.size()];
        for (int k = 0; k < asked.size(); k++) {
            int i = asked.get(k);
            switch (outcomes.get(k)) {
                case Returned(String key) -> keys[i] = key; // the JSON of what key() returned: equal keys, equal text
                case Failed failed -> failures[i] = failed;
            }
        }
        return keys;
    }

    /** Each destination's limits, asked of the module with that destination's first batchable item. */
    private Map<String, Limits> limits() {
        Map<String, Integer> firstItem = new LinkedHashMap<>();
        batchable().forEach(i -> firstItem.putIfAbsent(destinationIds[i], i));
        List<Integer> asked = List.copyOf(firstItem.values());
        List<ModuleOutcome> outcomes = call("limits", asked, i -> "[]");
        Map<String, Limits> limits = new HashMap<>();
        for (int k = 0; k < asked.size(); k++) {
            String destinationId = destinationIds[asked.get(k)];
            ModuleOutcome outcome = outcomes.get(k);
            Limits parsed = outcome instanceof Returned(String returned) ? parseLimits(returned) : null;
            if (parsed != null) {
                limits.put(destinationId, parsed);
            } else {
                failDestination(
                        destinationId,
                        outcome instanceof Failed failed
                                ? failed
                                : new Failed(
                                        BatchResponseItem.FAILED,
                                        "limits() must return {maxJobs, maxBytes}, positive numbers"));
            }
        }
        return limits;
    }

    private @Nullable Limits parseLimits(String returned) {
        JsonNode limits = json.readTree(returned);
        int maxJobs = limits.path("maxJobs").asInt(0);
        long maxBytes = limits.path("maxBytes").asLong(0);
        return maxJobs > 0 && maxBytes > 0 ? new Limits(maxJobs, maxBytes) : null;
    }

    private void failDestination(String destinationId, Failed failed) {
        for (int i = 0; i < items.size(); i++) {
            if (failures[i] == null && destinationIds[i].equals(destinationId)) failures[i] = failed;
        }
    }

    private List<BatchGrouper.Item> groupingItems(@Nullable String[] keys) {
        List<BatchGrouper.Item> grouped = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String delivery = deliveries[i];
            boolean batchable = failures[i] == null && delivery != null;
            long bytes = batchable ? delivery.getBytes(StandardCharsets.UTF_8).length : 0;
            grouped.add(new BatchGrouper.Item(destinationIds[i], batchable ? keys[i] : null, userId(i), bytes));
        }
        return grouped;
    }

    private List<ModuleOutcome> combine(List<Slot.Group> groups) {
        List<BatchModule.Call> calls = new ArrayList<>(groups.size());
        for (Slot.Group group : groups) {
            StringBuilder args = new StringBuilder("[[");
            for (int member : group.members()) {
                args.append(args.length() > 2 ? "," : "").append(deliveries[member]);
            }
            calls.add(new BatchModule.Call(
                    args.append("]]").toString(),
                    group.destinationId(),
                    destination(group.members().getFirst())));
        }
        return BatchModule.callAll(pool, catalog, entry, json, "combine", calls);
    }

    private BatchResponseItem combinedAnswer(Slot.Group group, ModuleOutcome outcome) {
        List<JsonNode> metadata = new ArrayList<>(group.members().size());
        group.members().forEach(i -> metadata.add(metadata(i)));
        return switch (outcome) {
            case Returned(String request)
            when request.startsWith("{") ->
                BatchResponseItem.batched(
                        ExactNumbers.of(group.members().stream()
                                        .map(i -> items.get(i).message())
                                        .toList())
                                .restore(request),
                        metadata,
                        destination(group.members().getFirst()));
            case Returned r ->
                BatchResponseItem.failed(
                        metadata, BatchResponseItem.FAILED, "combine() must return a delivery description (an object)");
            case Failed(int status, String error) -> BatchResponseItem.failed(metadata, status, error);
        };
    }

    /** {@code member} called once per listed item, with that item's destination. */
    private List<ModuleOutcome> call(String member, List<Integer> itemIndexes, IntFunction<String> argsJson) {
        List<BatchModule.Call> calls = new ArrayList<>(itemIndexes.size());
        for (int i : itemIndexes) {
            calls.add(new BatchModule.Call(argsJson.apply(i), destinationIds[i], destination(i)));
        }
        return BatchModule.callAll(pool, catalog, entry, json, member, calls);
    }

    private List<Integer> batchable() {
        List<Integer> batchable = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (failures[i] == null) batchable.add(i);
        }
        return batchable;
    }

    private JsonNode metadata(int index) {
        JsonNode metadata = items.get(index).metadata();
        return metadata == null ? json.createObjectNode() : metadata;
    }

    private @Nullable JsonNode destination(int index) {
        return items.get(index).destination();
    }

    private @Nullable String userId(int index) {
        JsonNode userId = metadata(index).path("userId");
        String value = userId.isString() || userId.isNumber() ? userId.asString() : "";
        return value.isEmpty() ? null : value;
    }

    /** The destination's ID (rudder-server's {@code ID}), else the metadata's destinationId. */
    private static String destinationId(TransformRequestItem item) {
        JsonNode destination = item.destination();
        String id = destination == null ? "" : destination.path("ID").asString("");
        if (id.isEmpty() && item.metadata() != null) {
            id = item.metadata().path("destinationId").asString("");
        }
        return id;
    }
}
