package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.contract.ExactNumbers;
import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.contract.TransformResponseItem;
import dev.eventpipe.transformer.sandbox.ContextPool;
import dev.eventpipe.transformer.sandbox.Realm;
import dev.eventpipe.transformer.sandbox.SandboxProperties;
import dev.eventpipe.transformer.sandbox.ScriptFailure;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
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
 * <p>In the shared transformer, heap trouble never fails an event: GraalJS CE cannot tell which context holds
 * what, so a call stopped for memory may be innocent (it merely held 10 % of the heap while someone else's hoard
 * kept it full), and an engine {@code OutOfMemoryError} lands in whichever call allocates next. Such a request is
 * answered 503, and a version whose call was blamed for the fill ({@link HeapStrikes}) runs from then on in a
 * process of its own ({@link VersionProcesses}): a child JVM that runs nothing else, where a fill or an
 * out-of-memory error is that version's for certain. There, and only there ({@code ownVersion}), an event whose
 * call fills the heap fails with the reason (see {@link GroupRunner}); an innocent version wrongly struck simply
 * runs there, until its probation ends with no memory trouble there and it returns ({@link HeapStrikes}). (Just over 300 lines: grouping, the chunks, the strikes and the hand-off to own processes are one
 * request's flow.)
 */
public final class UserTransformer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UserTransformer.class);
    private static final int MIN_CHUNK = 8;

    private final ContextPool pool;
    private final CodeStore codes;
    private final GroupRunner runner;
    private final HeapStrikes strikes;
    private final MeterRegistry metrics;
    private final @Nullable VersionProcesses processes;
    private final @Nullable String ownVersion;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

    /** The shared transformer without processes for struck versions (tools, tests): they go on answering 503. */
    public UserTransformer(ContextPool pool, CodeStore codes, JsonMapper json, MeterRegistry metrics) {
        this(pool, codes, json, metrics, null, null);
    }

    /** The shared transformer: a struck version runs in its own process, one of {@code processes}. */
    public UserTransformer(
            ContextPool pool, CodeStore codes, JsonMapper json, MeterRegistry metrics, VersionProcesses processes) {
        this(pool, codes, json, metrics, processes, null);
    }

    private UserTransformer(
            ContextPool pool,
            CodeStore codes,
            JsonMapper json,
            MeterRegistry metrics,
            @Nullable VersionProcesses processes,
            @Nullable String ownVersion) {
        SandboxProperties properties = pool.engine().properties();
        this.pool = pool;
        this.codes = codes;
        this.strikes = new HeapStrikes(
                properties.memoryStrikes(),
                properties.codeCacheSize(),
                processes == null ? java.time.Duration.ZERO : processes.probation(),
                System::nanoTime);
        this.runner = new GroupRunner(json);
        this.metrics = metrics;
        this.processes = processes;
        this.ownVersion = ownVersion;
    }

    /** A version's own process: it runs {@code version} only, and its heap trouble fails that call's events. */
    static UserTransformer ownProcess(
            ContextPool pool, CodeStore codes, JsonMapper json, MeterRegistry metrics, String version) {
        return new UserTransformer(pool, codes, json, metrics, null, version);
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
        List<Placed> placed = place(items, reportFiltered).placed();
        List<TransformResponseItem> answer = new ArrayList<>(placed.size());
        for (Placed p : placed) {
            answer.add(p.item());
            count(p.item().statusCode());
        }
        return answer;
    }

    /** A request's answers in request order, and whether a call filled the heap where that fails its events. */
    record Placement(List<Placed> placed, boolean filledTheHeap) {}

    Placement place(List<TransformRequestItem> items, boolean reportFiltered) {
        return place(items, reportFiltered, ContextPool.deadlineFromNow(requestDeadline()));
    }

    /** The request deadline of this process's sandbox. */
    java.time.Duration requestDeadline() {
        return pool.engine().properties().requestDeadline();
    }

    /** {@link #place(List, boolean)} by {@code deadline} (a {@link System#nanoTime} value). */
    Placement place(List<TransformRequestItem> items, boolean reportFiltered, long deadline) {
        List<Placed> placed = new ArrayList<>();
        Map<String, Group> groups = group(items, placed);
        Map<String, List<CompletableFuture<Done>>> shared = new LinkedHashMap<>();
        Map<String, List<Integer>> struck = new LinkedHashMap<>();
        Map<String, @Nullable String> owners = new HashMap<>();
        for (Group group : groups.values()) {
            String version = group.code().key();
            owners.put(version, group.code().owner());
            if (processes != null && strikes.struck(version, group.code().owner())) {
                struck.computeIfAbsent(version, k -> new ArrayList<>()).addAll(group.indexes());
            } else {
                shared.computeIfAbsent(version, k -> new ArrayList<>())
                        .addAll(submit(group, items, reportFiltered, deadline));
            }
        }
        List<CompletableFuture<Done>> running = new ArrayList<>();
        shared.values().forEach(running::addAll);
        struck.forEach((version, indexes) ->
                running.add(inOwnProcess(version, owners.get(version), indexes, items, reportFiltered, deadline)));
        // every chunk ends before the strikes are counted and the answer (or the first failure) is given
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
                .handle((done, failure) -> null)
                .join();
        if (ownVersion == null) {
            shared.forEach((version, futures) -> settleStrikes(version, owners.get(version), futures));
        }
        boolean filled = false;
        for (CompletableFuture<Done> future : running) {
            Done done = ContextPool.await(future);
            placed.addAll(done.placed());
            filled |= done.filledTheHeap();
        }
        placed.sort(Comparator.comparingInt(Placed::index));
        return new Placement(placed, filled);
    }

    /** A struck version's events, all in one call to its own process; answers placed back at their indexes. */
    private CompletableFuture<Done> inOwnProcess(
            String version,
            @Nullable String owner,
            List<Integer> indexes,
            List<TransformRequestItem> items,
            boolean reportFiltered,
            long deadline) {
        VersionProcesses own = Objects.requireNonNull(processes);
        List<TransformRequestItem> mine = indexes.stream().map(items::get).toList();
        return CompletableFuture.supplyAsync(() -> own.transform(version, mine, reportFiltered, deadline), calls)
                .thenApply(response -> {
                    if (response.filledTheHeap()) {
                        strikes.troubleInOwnProcess(version, owner); // its probation (and its owner's) starts again
                    }
                    return new Done(response.placedAt(indexes), response.filledTheHeap());
                });
    }

    /**
     * One request's verdict on a version that ran in the shared transformer: a strike when one of its calls filled
     * the heap (the request is answered 503 anyway), forgiveness when all its calls completed; nothing when it was
     * stopped for another reason (a deadline, someone else's memory).
     */
    private void settleStrikes(String version, @Nullable String owner, List<CompletableFuture<Done>> futures) {
        boolean filled = false;
        boolean completed = true;
        for (CompletableFuture<Done> future : futures) {
            if (future.isCompletedExceptionally()) {
                completed = false;
                if (cause(future) instanceof ScriptFailure failure && failure.filledTheHeap()) {
                    filled = true;
                }
            }
        }
        if (filled) {
            int now = strikes.strike(version, owner);
            metrics.counter("transformer.heap.filled", "outcome", "retried").increment();
            log.atWarn()
                    .addKeyValue("versionId", version)
                    .addKeyValue("owner", owner == null ? "" : owner)
                    .addKeyValue("strikes", now)
                    .log(
                            now >= strikes.limit() && processes != null
                                    ? "a transformation filled the heap; the request is answered 503 (retry), and"
                                            + (owner == null
                                                    ? " the transformation runs in a process of its own from now on"
                                                    : " each version of its " + owner
                                                            + " runs in a process of its own while the exile lasts")
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
            } else if (ownVersion != null && !ownVersion.equals(versionId)) {
                lookup = new CodeLookup.Missing("This transformer process runs transformation " + ownVersion + " only");
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
            Group group, List<TransformRequestItem> items, boolean reportFiltered, long deadline) {
        int size = group.indexes().size();
        int chunk = Math.max(MIN_CHUNK, (size + pool.size() - 1) / pool.size());
        GroupRunner.Fills fills = new GroupRunner.Fills(); // counted only in a version's own process
        List<CompletableFuture<Done>> futures = new ArrayList<>();
        for (int from = 0; from < size; from += chunk) {
            List<Integer> part = group.indexes().subList(from, Math.min(size, from + chunk));
            futures.add(runChunk(group, part, from == 0, items, reportFiltered, deadline, fills));
        }
        return futures;
    }

    /** A chunk's answers, and whether a call of it filled its own process's heap (its events failed for it). */
    record Done(List<Placed> placed, boolean filledTheHeap) {}

    /** Runs one chunk; events left over by a context that a limit cancelled go to a fresh context. */
    private CompletableFuture<Done> runChunk(
            Group group,
            List<Integer> part,
            boolean first,
            List<TransformRequestItem> items,
            boolean reportFiltered,
            long deadline,
            GroupRunner.Fills fills) {
        Realm realm = Realm.transformation(group.code().key());
        boolean own = ownVersion != null;
        return pool.submit(realm, deadline, js -> runner.run(js, group, part, first, items, reportFiltered, own, fills))
                .thenCompose(outcome -> outcome.remaining().isEmpty()
                        ? CompletableFuture.completedFuture(new Done(outcome.placed(), outcome.filledTheHeap()))
                        : runChunk(group, outcome.remaining(), false, items, reportFiltered, deadline, fills)
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

    /** Stops waiting for own processes' answers; the pool, the engine and the processes belong to their owner. */
    @Override
    public void close() {
        calls.shutdownNow();
    }

    /** Events of one destination and source that share one code version, in request order. */
    record Group(UserCode code, List<Integer> indexes) {}
}
