package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.contract.ExactNumbers;
import dev.eventpipe.transformer.contract.ScriptResult;
import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.contract.TransformResponseItem;
import dev.eventpipe.transformer.sandbox.JsContext;
import dev.eventpipe.transformer.sandbox.ScriptFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.graalvm.polyglot.Value;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one chunk of a group in one context, on a script thread. A retryable {@link ScriptFailure} (memory,
 * deadline, engine) is not the events' fault: it propagates and the whole request is retried. The one exception is
 * a version's own process ({@link VersionProcesses}), which runs nothing else: there a memory failure (a stop by the
 * heap guard, or the engine's out-of-memory error) is the version's own, so that event fails with the reason and the
 * next events are still run (the fill may depend on the event); only after {@link #FILLS_PER_REQUEST} such fills in
 * one request are the rest of the version's events of that request failed unrun, with a reason that says so (each
 * fill costs a full heap and a collection: a request of many would pass its deadline and be retried for ever).
 */
final class GroupRunner {
    /** Calls of a version in its own process that may fill its heap in one request before the rest fail unrun. */
    static final int FILLS_PER_REQUEST = 2;

    private final JsonMapper json;

    GroupRunner(JsonMapper json) {
        this.json = json;
    }

    /**
     * What a chunk produced, the events it could not run because its context was cancelled, and whether its events
     * were failed because the version filled its own process's heap.
     */
    record Outcome(List<Placed> placed, List<Integer> remaining, boolean filledTheHeap) {
        Outcome(List<Placed> placed, List<Integer> remaining) {
            this(placed, remaining, false);
        }
    }

    /** The heap fills of one version's group in one request, across its chunks (counted in its own process only). */
    static final class Fills {
        private int count;

        synchronized int add() {
            return ++count;
        }
    }

    /**
     * @param ownProcess this JVM runs this version only: a call of it that fails for memory fails its events
     *     instead of the whole request
     */
    Outcome run(
            JsContext js,
            UserTransformer.Group group,
            List<Integer> part,
            boolean first,
            List<TransformRequestItem> items,
            boolean reportFiltered,
            boolean ownProcess,
            Fills fills) {
        Value code;
        try {
            code = js.userCode(group.code().key(), group.code().source());
        } catch (ScriptFailure e) {
            if (ownProcess && e.kind() == ScriptFailure.Kind.MEMORY) {
                return new Outcome(failAll(part, items, filledReason(e)), List.of(), true);
            }
            if (e.retryable()) {
                throw e;
            }
            List<Placed> failed = new ArrayList<>();
            for (int i : part) {
                failed.add(new Placed(
                        i,
                        TransformResponseItem.failure(
                                e.getMessage(), items.get(i).metadata())));
            }
            return new Outcome(failed, List.of());
        }
        if (js.isBatch(code)) {
            if (!first) {
                return new Outcome(List.of(), List.of());
            }
            try {
                return new Outcome(runBatch(js, code, group.indexes(), items, reportFiltered, ownProcess), List.of());
            } catch (FilledTheHeap e) {
                return new Outcome(failAll(group.indexes(), items, String.valueOf(e.getMessage())), List.of(), true);
            }
        }
        return runEvents(js, code, part, items, reportFiltered, ownProcess, fills);
    }

    /** The error of an event whose call filled the heap of its version's own process. */
    private static String filledReason(ScriptFailure e) {
        return "This transformation (or another version of its workspace) filled the transformer's heap, and again"
                + " in a transformer process that runs it alone, so its events fail instead of being retried: "
                + e.getMessage()
                + ". Keep less in memory in one call.";
    }

    private static String notRunReason(String filled) {
        return "Not run: " + FILLS_PER_REQUEST + " earlier events of this request filled the transformer's heap with"
                + " the same transformation. " + filled;
    }

    private static List<Placed> failAll(List<Integer> indexes, List<TransformRequestItem> items, String error) {
        List<Placed> failed = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            failed.add(new Placed(
                    i, TransformResponseItem.failure(error, items.get(i).metadata())));
        }
        return failed;
    }

    /** Thrown inside {@link #runBatch} when a version fills its own process's heap; carries the events' error. */
    private static final class FilledTheHeap extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FilledTheHeap(String error) {
            super(error, null, false, false);
        }
    }

    private Outcome runEvents(
            JsContext js,
            Value code,
            List<Integer> part,
            List<TransformRequestItem> items,
            boolean reportFiltered,
            boolean ownProcess,
            Fills fills) {
        List<Placed> placed = new ArrayList<>(part.size());
        boolean filled = false;
        for (int n = 0; n < part.size(); n++) {
            if (js.isBroken()) {
                return new Outcome(placed, List.copyOf(part.subList(n, part.size())), filled);
            }
            js.checkDeadline();
            int i = part.get(n);
            TransformRequestItem item = items.get(i);
            String encoded;
            try {
                encoded = js.runEvent(code, json.writeValueAsString(item.message()), metadataJson(item.metadata()));
            } catch (ScriptFailure e) {
                if (ownProcess && e.kind() == ScriptFailure.Kind.MEMORY) {
                    // the version filled its own process's heap: this event fails. The next ones still run (the fill
                    // may depend on the event), in a fresh context, until the request's budget of fills is spent:
                    // then the rest fail unrun (each might fill the heap once more, stopping other tenants' calls)
                    String reason = filledReason(e);
                    placed.add(new Placed(i, TransformResponseItem.failure(reason, item.metadata())));
                    filled = true;
                    if (fills.add() >= FILLS_PER_REQUEST) {
                        placed.addAll(failAll(part.subList(n + 1, part.size()), items, notRunReason(reason)));
                        return new Outcome(placed, List.of(), true);
                    }
                    continue;
                }
                if (e.retryable()) {
                    throw e;
                }
                encoded = "E" + e.getMessage();
            }
            switch (ScriptResult.decode(encoded)) {
                case ScriptResult.Outputs(List<String> outputs) -> {
                    ExactNumbers numbers = ExactNumbers.of(Collections.singletonList(item.message()));
                    for (String output : outputs) {
                        placed.add(
                                new Placed(i, TransformResponseItem.success(numbers.restore(output), item.metadata())));
                    }
                }
                case ScriptResult.Dropped d -> {
                    if (reportFiltered) {
                        placed.add(new Placed(i, TransformResponseItem.filtered(filteredMetadata(item))));
                    }
                }
                case ScriptResult.Failed(String error) ->
                    placed.add(new Placed(i, TransformResponseItem.failure(error, item.metadata())));
            }
        }
        return new Outcome(placed, List.of(), filled);
    }

    private List<Placed> runBatch(
            JsContext js,
            Value code,
            List<Integer> indexes,
            List<TransformRequestItem> items,
            boolean reportFiltered,
            boolean ownProcess) {
        ArrayNode events = json.createArrayNode();
        ArrayNode metas = json.createArrayNode();
        Map<String, Integer> byMessageId = new HashMap<>();
        for (int i : indexes) {
            TransformRequestItem item = items.get(i);
            events.add(item.message() == null ? json.nullNode() : item.message());
            metas.add(item.metadata() == null ? json.createObjectNode() : item.metadata());
            byMessageId.putIfAbsent(messageId(item), i);
        }
        String encoded;
        try {
            encoded = js.runBatch(code, json.writeValueAsString(events), json.writeValueAsString(metas));
        } catch (ScriptFailure e) {
            if (ownProcess && e.kind() == ScriptFailure.Kind.MEMORY) {
                throw new FilledTheHeap(filledReason(e));
            }
            if (e.retryable()) {
                throw e;
            }
            encoded = "E" + e.getMessage();
        }
        List<Placed> placed = new ArrayList<>();
        Set<Integer> answered = new HashSet<>();
        switch (ScriptResult.decode(encoded)) {
            case ScriptResult.Outputs(List<String> returned) -> {
                ExactNumbers numbers = ExactNumbers.of(
                        indexes.stream().map(i -> items.get(i).message()).toList());
                for (String output : returned.stream().map(numbers::restore).toList()) {
                    String id = json.readTree(output).path("messageId").asString("");
                    Integer at = byMessageId.get(id);
                    if (at != null) {
                        answered.add(at);
                        placed.add(new Placed(
                                at,
                                TransformResponseItem.success(
                                        output, items.get(at).metadata())));
                    } else {
                        int firstIndex = indexes.getFirst();
                        ObjectNode meta = copy(items.get(firstIndex).metadata());
                        meta.put("messageId", id.isEmpty() ? UUID.randomUUID().toString() : id);
                        placed.add(new Placed(firstIndex, TransformResponseItem.success(output, meta)));
                    }
                }
            }
            case ScriptResult.Dropped d -> {}
            case ScriptResult.Failed(String error) -> {
                for (int i : indexes) {
                    placed.add(new Placed(
                            i, TransformResponseItem.failure(error, items.get(i).metadata())));
                }
                return placed;
            }
        }
        if (reportFiltered) {
            for (int i : indexes) {
                if (!answered.contains(i)) {
                    placed.add(new Placed(i, TransformResponseItem.filtered(filteredMetadata(items.get(i)))));
                }
            }
        }
        return placed;
    }

    private String metadataJson(@Nullable JsonNode metadata) {
        return metadata == null ? "{}" : json.writeValueAsString(metadata);
    }

    private static String messageId(TransformRequestItem item) {
        String fromMetadata =
                item.metadata() == null ? "" : item.metadata().path("messageId").asString("");
        if (!fromMetadata.isEmpty() || item.message() == null) {
            return fromMetadata;
        }
        return item.message().path("messageId").asString("");
    }

    /** rudder-transformer answers a dropped event with its metadata, its own messageId and no messageIds. */
    private ObjectNode filteredMetadata(TransformRequestItem item) {
        ObjectNode meta = copy(item.metadata());
        meta.put("messageId", messageId(item));
        meta.putNull("messageIds");
        return meta;
    }

    private ObjectNode copy(@Nullable ObjectNode metadata) {
        return metadata == null ? json.createObjectNode() : metadata.deepCopy();
    }
}
