package dev.eventpipe.transformer.destination;

import dev.eventpipe.transformer.contract.ExactNumbers;
import dev.eventpipe.transformer.contract.ScriptResult;
import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.contract.TransformResponseItem;
import dev.eventpipe.transformer.sandbox.ContextPool;
import dev.eventpipe.transformer.sandbox.JsContext;
import dev.eventpipe.transformer.sandbox.Realm;
import dev.eventpipe.transformer.sandbox.ScriptFailure;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.graalvm.polyglot.Value;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs {@code /v0/destinations/{type}}: each event through its destination's module, in chunks spread over the
 * context pool, in contexts of the destinations' realm (never one that ran user code). The answer holds one item
 * per delivery (a module may return several), in request order. When a limit breaks a context, the rest of its
 * chunk runs in a fresh one; when the sandbox rather than an event fails (memory, deadline, engine), the whole
 * request throws {@link dev.eventpipe.transformer.sandbox.SandboxUnavailable}, answered 503 so the caller retries.
 */
public final class DestinationTransformer {
    private static final int MIN_CHUNK = 16;

    private final ContextPool pool;
    private final DestinationCatalog catalog;
    private final JsonMapper json;
    private final MeterRegistry metrics;

    public DestinationTransformer(
            ContextPool pool, DestinationCatalog catalog, JsonMapper json, MeterRegistry metrics) {
        this.pool = pool;
        this.catalog = catalog;
        this.json = json;
        this.metrics = metrics;
    }

    public List<TransformResponseItem> transform(String type, List<TransformRequestItem> items) {
        String destType = type.toUpperCase(Locale.ROOT);
        DestinationCatalog.Entry entry = catalog.find(type).orElse(null);
        List<List<TransformResponseItem>> answers = new ArrayList<>(items.size());
        items.forEach(i -> answers.add(List.of()));
        if (entry == null) {
            for (int i = 0; i < items.size(); i++) {
                answers.set(
                        i, List.of(failure(destType, "Destination " + destType + " is not supported", items.get(i))));
            }
            return flatten(answers, "UNSUPPORTED");
        }
        long deadline = ContextPool.deadlineFromNow(pool.engine().properties().requestDeadline());
        int chunk = Math.max(MIN_CHUNK, (items.size() + pool.size() - 1) / pool.size());
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int from = 0; from < items.size(); from += chunk) {
            running.add(runFrom(entry, items, from, Math.min(items.size(), from + chunk), answers, deadline));
        }
        running.forEach(ContextPool::await);
        return flatten(answers, destType);
    }

    /** Runs items {@code start..end}; those a broken context left over run in a fresh context. */
    private CompletableFuture<Void> runFrom(
            DestinationCatalog.Entry entry,
            List<TransformRequestItem> items,
            int start,
            int end,
            List<List<TransformResponseItem>> answers,
            long deadline) {
        return pool.submit(Realm.DESTINATIONS, deadline, js -> runChunk(js, entry, items, start, end, answers))
                .thenCompose(next -> next >= end
                        ? CompletableFuture.completedFuture(null)
                        : runFrom(entry, items, next, end, answers, deadline));
    }

    /** Runs the items until one breaks the context; returns the index of the first item not run. */
    private int runChunk(
            JsContext js,
            DestinationCatalog.Entry entry,
            List<TransformRequestItem> items,
            int start,
            int end,
            List<List<TransformResponseItem>> answers) {
        DestinationDefinition definition = entry.definition();
        Map<String, Value> destinations = new HashMap<>();
        for (int i = start; i < end; i++) {
            js.checkDeadline();
            TransformRequestItem item = items.get(i);
            String unsupported = ExactNumbers.hasOutOfRange(item.message())
                    ? ExactNumbers.OUT_OF_RANGE
                    : unsupportedType(definition, item.message());
            if (unsupported != null) {
                answers.set(i, List.of(failure(definition.name(), unsupported, item)));
                continue;
            }
            String encoded;
            try {
                js.module("lib", catalog::lib);
                Value module = js.module(definition.name(), entry::module);
                Value destination = destinations.computeIfAbsent(
                        destinationKey(item),
                        k -> js.parse(item.destination() == null ? "{}" : json.writeValueAsString(item.destination())));
                encoded = js.runDestination(
                        module,
                        json.writeValueAsString(item.message()),
                        destination,
                        item.metadata() == null ? "{}" : json.writeValueAsString(item.metadata()));
            } catch (ScriptFailure e) {
                if (e.retryable()) {
                    throw e;
                }
                encoded = "E" + e.getMessage();
            }
            answers.set(i, answer(definition.name(), encoded, item));
            if (js.isBroken()) {
                return i + 1;
            }
        }
        return end;
    }

    private List<TransformResponseItem> answer(String destType, String encoded, TransformRequestItem item) {
        return switch (ScriptResult.decode(encoded)) {
            case ScriptResult.Outputs(List<String> outputs) -> {
                List<TransformResponseItem> out = new ArrayList<>(outputs.size());
                // JavaScript read the numbers as doubles: put back the digits a double could not carry
                ExactNumbers numbers = ExactNumbers.of(Collections.singletonList(item.message()));
                outputs.forEach(o -> out.add(TransformResponseItem.success(numbers.restore(o), item.metadata())));
                yield out;
            }
            case ScriptResult.Dropped d -> List.of(TransformResponseItem.filtered(item.metadata()));
            case ScriptResult.Failed(String error) -> List.of(failure(destType, error, item));
        };
    }

    private static @Nullable String unsupportedType(DestinationDefinition definition, @Nullable JsonNode message) {
        if (message == null || !message.isObject()) {
            return "Message is not an object";
        }
        String type = message.path("type").asString("").toLowerCase(Locale.ROOT);
        if (type.isEmpty()) {
            return "Message Type is not present. Aborting message.";
        }
        if (!definition.supportedMessageTypes().contains(type)) {
            return "Message type \"" + type + "\" is not supported by " + definition.displayName();
        }
        return null;
    }

    private String destinationKey(TransformRequestItem item) {
        JsonNode destination = item.destination();
        if (destination == null) {
            return "";
        }
        String id = destination.path("ID").asString(destination.path("id").asString(""));
        return id.isEmpty() ? json.writeValueAsString(destination) : id;
    }

    private TransformResponseItem failure(String destType, String error, TransformRequestItem item) {
        ObjectNode tags = json.createObjectNode();
        tags.put("errorCategory", "dataValidation");
        tags.put("errorType", "instrumentation");
        tags.put("destType", destType);
        tags.put("module", "destination");
        tags.put("implementation", "native");
        tags.put("feature", "processor");
        if (item.metadata() != null) {
            tags.put("destinationId", item.metadata().path("destinationId").asString(""));
            tags.put("workspaceId", item.metadata().path("workspaceId").asString(""));
        }
        return TransformResponseItem.failure(error, item.metadata(), tags);
    }

    private List<TransformResponseItem> flatten(List<List<TransformResponseItem>> answers, String destType) {
        List<TransformResponseItem> all = new ArrayList<>();
        for (List<TransformResponseItem> answer : answers) {
            for (TransformResponseItem item : answer) {
                all.add(item);
                metrics.counter(
                                "transformer.invocations",
                                "kind",
                                "destination",
                                "destination.type",
                                destType,
                                "result",
                                item.statusCode() == TransformResponseItem.OK ? "success" : "failed")
                        .increment();
            }
        }
        return all;
    }
}
