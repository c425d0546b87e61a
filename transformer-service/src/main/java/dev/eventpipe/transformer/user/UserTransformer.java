package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.contract.TransformResponseItem;
import dev.eventpipe.transformer.sandbox.ContextPool;
import dev.eventpipe.transformer.sandbox.Realm;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@code /customTransform} requests: groups the events by destination, source and code, fetches each code
 * version once, and spreads the groups over the context pool in chunks, each in a context of its version's own
 * realm. Every event gets its own answer (or answers, for fan-out); a failing event never fails its neighbours,
 * except within one {@code transformBatch} call, which succeeds or fails as a whole (as in rudder-transformer).
 * When the sandbox rather than an event fails (memory, deadline, engine), the whole request throws
 * {@link dev.eventpipe.transformer.sandbox.SandboxUnavailable}, answered 503 so the caller retries.
 */
public final class UserTransformer {
    private static final int MIN_CHUNK = 8;

    private final ContextPool pool;
    private final CodeStore codes;
    private final GroupRunner runner;
    private final MeterRegistry metrics;

    public UserTransformer(ContextPool pool, CodeStore codes, JsonMapper json, MeterRegistry metrics) {
        this.pool = pool;
        this.codes = codes;
        this.runner = new GroupRunner(json);
        this.metrics = metrics;
    }

    /**
     * @param reportFiltered answer dropped events with 298 (the request carried {@code X-Feature-Filter-Code})
     * @throws CodeBackendUnavailable when some code could not be fetched for a passing reason
     */
    public List<TransformResponseItem> transform(List<TransformRequestItem> items, boolean reportFiltered) {
        long deadline = ContextPool.deadlineFromNow(pool.engine().properties().requestDeadline());
        List<Placed> placed = new ArrayList<>();
        Map<String, Group> groups = group(items, placed);
        List<CompletableFuture<List<Placed>>> running = new ArrayList<>();
        for (Group group : groups.values()) {
            running.addAll(submit(group, items, reportFiltered, deadline));
        }
        for (CompletableFuture<List<Placed>> future : running) {
            placed.addAll(ContextPool.await(future));
        }
        placed.sort(Comparator.comparingInt(Placed::index));
        List<TransformResponseItem> answer = new ArrayList<>(placed.size());
        for (Placed p : placed) {
            answer.add(p.item());
            count(p.item().statusCode());
        }
        return answer;
    }

    private Map<String, Group> group(List<TransformRequestItem> items, List<Placed> placed) {
        Map<String, CodeLookup> lookups = new HashMap<>();
        Map<String, Group> groups = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            TransformRequestItem item = items.get(i);
            JsonNode ref = item.destination() == null
                    ? tools.jackson.databind.node.MissingNode.getInstance()
                    : item.destination().path("Transformations").path(0);
            String versionId = ref.path("VersionID").asString("");
            // code only ever comes from the config backend by version id: code sent inline is ignored, so a caller
            // cannot run code of its own under another tenant's version id (code tests have their own endpoint)
            CodeLookup lookup;
            if (versionId.isEmpty()) {
                lookup = new CodeLookup.Missing("Transformation VersionID not found");
            } else {
                lookup = lookups.computeIfAbsent(versionId, codes::lookup);
            }
            switch (lookup) {
                case CodeLookup.Unavailable(String reason) -> throw new CodeBackendUnavailable(reason);
                case CodeLookup.Missing(String error) ->
                    placed.add(new Placed(i, TransformResponseItem.failure(error, item.metadata())));
                case CodeLookup.Found(UserCode code) -> {
                    JsonNode meta = item.metadata();
                    String key = (meta == null ? "" : meta.path("destinationId").asString(""))
                            + "_" + (meta == null ? "" : meta.path("sourceId").asString(""))
                            + "_" + code.key();
                    groups.computeIfAbsent(key, k -> new Group(code, new ArrayList<>()))
                            .indexes()
                            .add(i);
                }
            }
        }
        return groups;
    }

    private List<CompletableFuture<List<Placed>>> submit(
            Group group, List<TransformRequestItem> items, boolean reportFiltered, long deadline) {
        int size = group.indexes().size();
        int chunk = Math.max(MIN_CHUNK, (size + pool.size() - 1) / pool.size());
        List<CompletableFuture<List<Placed>>> futures = new ArrayList<>();
        for (int from = 0; from < size; from += chunk) {
            List<Integer> part = group.indexes().subList(from, Math.min(size, from + chunk));
            boolean first = from == 0;
            futures.add(runChunk(group, part, first, items, reportFiltered, deadline));
        }
        return futures;
    }

    /** Runs one chunk; events left over by a context that a limit cancelled go to a fresh context. */
    private CompletableFuture<List<Placed>> runChunk(
            Group group,
            List<Integer> part,
            boolean first,
            List<TransformRequestItem> items,
            boolean reportFiltered,
            long deadline) {
        Realm realm = Realm.transformation(group.code().key());
        return pool.submit(realm, deadline, js -> runner.run(js, group, part, first, items, reportFiltered))
                .thenCompose(outcome -> outcome.remaining().isEmpty()
                        ? CompletableFuture.completedFuture(outcome.placed())
                        : runChunk(group, outcome.remaining(), false, items, reportFiltered, deadline)
                                .thenApply(rest -> {
                                    List<Placed> all = new ArrayList<>(outcome.placed());
                                    all.addAll(rest);
                                    return all;
                                }));
    }

    private void count(int status) {
        String result = switch (status) {
            case TransformResponseItem.OK -> "success";
            case TransformResponseItem.FILTERED -> "filtered";
            default -> "failed";
        };
        metrics.counter("transformer.invocations", "kind", "user", "result", result)
                .increment();
    }

    public CodeStore codes() {
        return codes;
    }

    /** Events of one destination and source that share one code version, in request order. */
    record Group(UserCode code, List<Integer> indexes) {}
}
