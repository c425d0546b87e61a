package dev.eventpipe.transformer.batch;

import dev.eventpipe.transformer.contract.ScriptResult;
import dev.eventpipe.transformer.destination.DestinationCatalog;
import dev.eventpipe.transformer.sandbox.ContextPool;
import dev.eventpipe.transformer.sandbox.JsContext;
import dev.eventpipe.transformer.sandbox.Realm;
import dev.eventpipe.transformer.sandbox.ScriptFailure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.graalvm.polyglot.Value;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls of a destination's batch module ({@code key}, {@code limits}, {@code combine}), spread over the context
 * pool in chunks. An instance is one chunk in one context: the module is evaluated once per context, each
 * destination object parsed into the context once per chunk; only the thread holding the context uses it.
 */
final class BatchModule {
    private static final int MIN_CHUNK = 16;

    /** One call: {@code module[member](...args, destination)}, {@code argsJson} being a JSON array. */
    record Call(
            String argsJson, String destinationId, @Nullable JsonNode destination) {}

    private final JsContext js;
    private final DestinationCatalog catalog;
    private final DestinationCatalog.Entry entry;
    private final JsonMapper json;
    private final Map<String, Value> destinations = new HashMap<>();

    private BatchModule(JsContext js, DestinationCatalog catalog, DestinationCatalog.Entry entry, JsonMapper json) {
        this.js = js;
        this.catalog = catalog;
        this.entry = entry;
        this.json = json;
    }

    /** The outcome of each call, in the calls' order. */
    static List<ModuleOutcome> callAll(
            ContextPool pool,
            DestinationCatalog catalog,
            DestinationCatalog.Entry entry,
            JsonMapper json,
            String member,
            List<Call> calls) {
        ModuleOutcome[] outcomes = new ModuleOutcome[calls.size()];
        int chunk = Math.max(MIN_CHUNK, (calls.size() + pool.size() - 1) / pool.size());
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int from = 0; from < calls.size(); from += chunk) {
            int start = from;
            int end = Math.min(calls.size(), from + chunk);
            running.add(pool.submit(Realm.DESTINATIONS, js -> {
                new BatchModule(js, catalog, entry, json).run(member, calls, start, end, outcomes);
                return null;
            }));
        }
        running.forEach(CompletableFuture::join); // completion makes the chunks' writes to outcomes visible here
        return Arrays.asList(outcomes);
    }

    /** A stopped call fails only its own call; once the context is broken the rest of the chunk is not run. */
    private void run(String member, List<Call> calls, int start, int end, ModuleOutcome[] outcomes) {
        for (int i = start; i < end; i++) {
            if (js.isBroken()) {
                outcomes[i] = new ModuleOutcome.Failed(BatchResponseItem.RETRY, "Not run: the sandbox stopped");
                continue;
            }
            try {
                outcomes[i] = decode(member, call(member, calls.get(i)));
            } catch (ScriptFailure e) {
                outcomes[i] = new ModuleOutcome.Failed(BatchResponseItem.RETRY, String.valueOf(e.getMessage()));
            }
        }
    }

    private String call(String member, Call call) {
        js.module("lib", catalog::lib);
        Value module =
                js.module(entry.definition().name() + "/batch", () -> Objects.requireNonNull(entry.batchModule()));
        Value destination = destinations.computeIfAbsent(
                call.destinationId(),
                id -> js.parse(call.destination() == null ? "{}" : json.writeValueAsString(call.destination())));
        return js.callModule(module, member, call.argsJson(), destination);
    }

    private static ModuleOutcome decode(String member, String encoded) {
        return switch (ScriptResult.decode(encoded)) {
            case ScriptResult.Outputs(List<String> outputs) -> new ModuleOutcome.Returned(outputs.getFirst());
            case ScriptResult.Dropped d ->
                new ModuleOutcome.Failed(BatchResponseItem.FAILED, member + "() returned nothing");
            case ScriptResult.Failed(String error) -> new ModuleOutcome.Failed(BatchResponseItem.FAILED, error);
        };
    }
}
