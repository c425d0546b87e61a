package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.contract.ExactNumbers;
import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.contract.TransformResponseItem;
import dev.eventpipe.transformer.sandbox.ContextPool;
import dev.eventpipe.transformer.sandbox.Realm;
import dev.eventpipe.transformer.sandbox.SandboxProperties;
import dev.eventpipe.transformer.sandbox.ScriptFailure;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@code /customTransform} requests: groups the events by destination, source and code, fetches each code
 * version once, and spreads the groups over the context pool in chunks, each in a context of its version's own
 * realm. Every event gets its own answer (or answers, for fan-out); a failing event never fails its neighbours,
 * except within one {@code transformBatch} call, which succeeds or fails as a whole (as in rudder-transformer).
 * When the sandbox rather than an event fails (memory, deadline, engine), the whole request throws
 * {@link dev.eventpipe.transformer.sandbox.SandboxUnavailable}, answered 503 so the caller retries.
 *
 * <p>Except for a version whose own calls filled the heap in {@code memory-strikes} requests in a row
 * ({@link HeapStrikes}): retrying would never end (the processor retries a 503 for ever, holding every tenant's
 * events back). Its events then run alone, one at a time, on the small pool of {@link #ALONE_THREADS} "alone"
 * script threads (one task per struck version of a request; the time a task waits for one of them is the metric
 * {@code transformer.alone.wait}), in contexts that are not kept; an event whose own call fills the heap again
 * fails (400, with the reason), the version's other events still run, and everyone else's are answered as usual
 * (see {@link GroupRunner}). A request in which all its calls complete forgives its strikes.
 */
public final class UserTransformer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UserTransformer.class);
    private static final int MIN_CHUNK = 8;
    /**
     * Script threads for struck versions: more than one, so that several struck versions (of one request or of
     * concurrent ones) do not queue behind each other on one thread until the request's deadline; few, so that
     * hoards run alone stay few at once.
     */
    static final int ALONE_THREADS = 2;

    private final ContextPool pool;
    private final ContextPool alonePool;
    private final CodeStore codes;
    private final GroupRunner runner;
    private final HeapStrikes strikes;
    private final MeterRegistry metrics;
    private final Timer aloneWait;

    public UserTransformer(ContextPool pool, CodeStore codes, JsonMapper json, MeterRegistry metrics) {
        SandboxProperties properties = pool.engine().properties();
        this.pool = pool;
        this.alonePool = ContextPool.sharing(pool.engine(), ALONE_THREADS, 0, "js-alone");
        this.codes = codes;
        this.strikes = new HeapStrikes(properties.memoryStrikes(), properties.codeCacheSize());
        this.runner = new GroupRunner(json, strikes.limit());
        this.metrics = metrics;
        this.aloneWait = Timer.builder("transformer.alone.wait")
                .description("time a struck version's task waits for an alone script thread")
                .register(metrics);
    }

    /** The strike counts (tests strike versions without filling a heap). */
    HeapStrikes strikes() {
        return strikes;
    }

    /**
     * @param reportFiltered answer dropped events with 298 (the request carried {@code X-Feature-Filter-Code})
     * @throws CodeBackendUnavailable when some code could not be fetched for a passing reason
     */
    public List<TransformResponseItem> transform(List<TransformRequestItem> items, boolean reportFiltered) {
        long deadline = ContextPool.deadlineFromNow(pool.engine().properties().requestDeadline());
        List<Placed> placed = new ArrayList<>();
        Map<String, Group> groups = group(items, placed);
        Map<String, List<CompletableFuture<Done>>> byVersion = new LinkedHashMap<>();
        for (Group group : groups.values()) {
            String version = group.code().key();
            boolean alone = strikes.alone(version);
            byVersion
                    .computeIfAbsent(version, k -> new ArrayList<>())
                    .addAll(submit(group, items, reportFiltered, deadline, alone));
        }
        List<CompletableFuture<Done>> running =
                byVersion.values().stream().flatMap(List::stream).toList();
        // every chunk ends before the strikes are counted and the answer (or the first failure) is given
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
                .handle((done, failure) -> null)
                .join();
        byVersion.forEach(this::settleStrikes);
        for (CompletableFuture<Done> future : running) {
            placed.addAll(ContextPool.await(future).placed());
        }
        placed.sort(Comparator.comparingInt(Placed::index));
        List<TransformResponseItem> answer = new ArrayList<>(placed.size());
        for (Placed p : placed) {
            answer.add(p.item());
            count(p.item().statusCode());
        }
        return answer;
    }

    /**
     * One request's verdict on a version: a strike when one of its calls filled the heap, forgiveness when all its
     * calls completed; nothing when it was stopped for another reason (a deadline, someone else's memory).
     */
    private void settleStrikes(String version, List<CompletableFuture<Done>> futures) {
        boolean filled = false;
        boolean failedAlone = false;
        boolean completed = true;
        for (CompletableFuture<Done> future : futures) {
            if (future.isCompletedExceptionally()) {
                completed = false;
                if (cause(future) instanceof ScriptFailure failure && failure.filledTheHeap()) {
                    filled = true;
                }
            } else if (future.resultNow().filledTheHeap()) {
                failedAlone = true;
            }
        }
        if (filled || failedAlone) {
            int now = strikes.strike(version);
            metrics.counter("transformer.heap.filled", "outcome", failedAlone ? "failed" : "retried")
                    .increment();
            log.atWarn()
                    .addKeyValue("versionId", version)
                    .addKeyValue("strikes", now)
                    .log(
                            failedAlone
                                    ? "a transformation filled the heap again when run alone: its events failed"
                                    : now >= strikes.limit()
                                            ? "a transformation filled the heap in too many requests in a row: it runs alone"
                                                    + " from now on"
                                            : "a transformation filled the heap; the request is answered 503 (retry)");
        } else if (completed) {
            strikes.clear(version);
        }
    }

    private Map<String, Group> group(List<TransformRequestItem> items, List<Placed> placed) {
        Map<String, CodeLookup> lookups = new HashMap<>();
        Map<String, Group> groups = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            TransformRequestItem item = items.get(i);
            if (ExactNumbers.hasOutOfRange(item.message())) {
                // answered alone, never run: JavaScript would read the number as Infinity (review 1330 P1-1)
                placed.add(new Placed(i, TransformResponseItem.failure(ExactNumbers.OUT_OF_RANGE, item.metadata())));
                continue;
            }
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

    private static Throwable cause(CompletableFuture<?> failed) {
        try {
            failed.join();
            throw new IllegalStateException("the task did not fail");
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }

    private List<CompletableFuture<Done>> submit(
            Group group, List<TransformRequestItem> items, boolean reportFiltered, long deadline, boolean alone) {
        if (alone) {
            // the whole group in one task on an "alone" thread: one call at a time
            return List.of(runChunk(
                    alonePool,
                    group,
                    group.indexes(),
                    true,
                    items,
                    reportFiltered,
                    deadline,
                    true,
                    new GroupRunner.Fills()));
        }
        int size = group.indexes().size();
        int chunk = Math.max(MIN_CHUNK, (size + pool.size() - 1) / pool.size());
        List<CompletableFuture<Done>> futures = new ArrayList<>();
        for (int from = 0; from < size; from += chunk) {
            List<Integer> part = group.indexes().subList(from, Math.min(size, from + chunk));
            boolean first = from == 0;
            futures.add(runChunk(
                    pool, group, part, first, items, reportFiltered, deadline, false, new GroupRunner.Fills()));
        }
        return futures;
    }

    /** A chunk's answers, and whether its version, run alone, filled the heap (its events failed for it). */
    record Done(List<Placed> placed, boolean filledTheHeap) {}

    /** Runs one chunk; events left over by a context that a limit cancelled go to a fresh context. */
    private CompletableFuture<Done> runChunk(
            ContextPool on,
            Group group,
            List<Integer> part,
            boolean first,
            List<TransformRequestItem> items,
            boolean reportFiltered,
            long deadline,
            boolean alone,
            GroupRunner.Fills fills) {
        Realm realm = Realm.transformation(group.code().key());
        long queuedAt = System.nanoTime();
        return on.submit(realm, deadline, js -> {
                    if (alone) {
                        aloneWait.record(System.nanoTime() - queuedAt, TimeUnit.NANOSECONDS);
                    }
                    return runner.run(js, group, part, first, items, reportFiltered, alone, fills);
                })
                .thenCompose(outcome -> outcome.remaining().isEmpty()
                        ? CompletableFuture.completedFuture(new Done(outcome.placed(), outcome.filledTheHeap()))
                        : runChunk(on, group, outcome.remaining(), false, items, reportFiltered, deadline, alone, fills)
                                .thenApply(rest -> {
                                    List<Placed> all = new ArrayList<>(outcome.placed());
                                    all.addAll(rest.placed());
                                    return new Done(all, outcome.filledTheHeap() || rest.filledTheHeap());
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

    /** Closes the "alone" thread's pool; the shared pool and engine belong to their owner. */
    @Override
    public void close() {
        alonePool.close();
    }

    /** Events of one destination and source that share one code version, in request order. */
    record Group(UserCode code, List<Integer> indexes) {}
}
