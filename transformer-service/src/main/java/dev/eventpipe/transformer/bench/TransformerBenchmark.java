package dev.eventpipe.transformer.bench;

import dev.eventpipe.model.json.Json;
import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.contract.TransformResponseItem;
import dev.eventpipe.transformer.destination.DestinationCatalog;
import dev.eventpipe.transformer.destination.DestinationTransformer;
import dev.eventpipe.transformer.sandbox.ContextPool;
import dev.eventpipe.transformer.sandbox.JsEngine;
import dev.eventpipe.transformer.sandbox.SandboxProperties;
import dev.eventpipe.transformer.user.CodeStore;
import dev.eventpipe.transformer.user.ConfigBackendProperties;
import dev.eventpipe.transformer.user.UserTransformer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/**
 * Events per second through the same code paths the HTTP endpoints use (request items in, response items out; no
 * HTTP): a trivial {@code transformEvent}, a loop-heavy one, and the WEBHOOK destination, each with one context and
 * one caller thread, then with one context per processor and as many callers. Prints one JSON line with events
 * per wall-clock second and per CPU-second of the process. Settings:
 * {@code -Dbench.warmup=8s -Dbench.measure=8s -Dbench.batch=200 -Dbench.statementLimit=100000000
 * -Dbench.workloads=simpleTransformEvent,loopHeavyTransformEvent,webhookDestination}.
 */
public final class TransformerBenchmark {
    static final String SIMPLE = """
            export function transformEvent(event, metadata) {
              event.properties = event.properties || {};
              event.properties.x = event.event + '!';
              return event;
            }""";
    static final String LOOP_HEAVY = """
            export function transformEvent(event, metadata) {
              let h = 0;
              const s = String(event.anonymousId) + String(event.event) + String(event.messageId);
              for (let round = 0; round < 20; round++) {
                for (let i = 0; i < s.length; i++) { h = (h * 31 + s.charCodeAt(i)) | 0; }
              }
              const props = event.properties || {};
              event.properties = props;
              props.keyCount = Object.keys(props).length;
              props.hash = h;
              props.tagged = true;
              return event;
            }""";

    private static final JsonMapper JSON = Json.mapper();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private TransformerBenchmark() {}

    public static void main(String[] args) throws Exception {
        Duration warmup = Duration.parse("PT" + System.getProperty("bench.warmup", "10s"));
        Duration measure = Duration.parse("PT" + System.getProperty("bench.measure", "8s"));
        int batch = Integer.getInteger("bench.batch", 200);
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> workloads = List.of(
                System.getProperty("bench.workloads", "simpleTransformEvent,loopHeavyTransformEvent,webhookDestination")
                        .split(","));
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        workloads.forEach(w -> result.put(w, new LinkedHashMap<>()));
        // one engine for every pool, so compiled code is shared as in the service; the first pass only warms up
        // (the Graal compiler itself is compiled during the first minute of work)
        SandboxProperties properties =
                SandboxProperties.defaults().withStatementLimit(Long.getLong("bench.statementLimit", 100_000_000L));
        JsEngine engine = new JsEngine(properties);
        String runtime = engine.implementationName();
        ContextPool wide = ContextPool.sharing(engine, cores, properties.idleContexts(), "bench");
        for (String workload : workloads) {
            drive(runner(workload, wide), items(workload, batch), cores, warmup);
        }
        ContextPool single = ContextPool.sharing(engine, 1, properties.idleContexts(), "bench-single");
        for (int threads : List.of(1, cores)) {
            ContextPool pool = threads == 1 ? single : wide;
            for (String workload : workloads) {
                drive(runner(workload, pool), items(workload, batch), threads, Duration.ofSeconds(3));
                Rate rate = drive(runner(workload, pool), items(workload, batch), threads, measure);
                String mode = threads == 1 ? "singleThread" : "allCores";
                result.get(workload).put(mode, Math.round(rate.perSecond()));
                result.get(workload).put(mode + "PerCpuSecond", Math.round(rate.perCpuSecond()));
            }
        }
        Map<String, Object> versions = newVersionCost(wide);
        single.close();
        wide.close();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("runtime", runtime);
        line.put("cores", cores);
        line.put("batch", batch);
        line.put("unit", "events/s");
        line.putAll(result);
        line.put("newVersion", versions);
        System.out.println(JSON.writeValueAsString(line));
        System.exit(0);
    }

    private static Function<List<TransformRequestItem>, List<TransformResponseItem>> runner(
            String workload, ContextPool pool) {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        if (workload.equals("webhookDestination")) {
            DestinationTransformer destinations =
                    new DestinationTransformer(pool, new DestinationCatalog(JSON), JSON, metrics);
            return items -> destinations.transform("webhook", items);
        }
        CodeStore codes =
                new CodeStore(new ConfigBackendProperties("http://127.0.0.1:9", "", Duration.ofSeconds(1)), 16, JSON);
        codes.preload("bench-simple", SIMPLE);
        codes.preload("bench-loop", LOOP_HEAVY);
        UserTransformer user = new UserTransformer(pool, codes, JSON, metrics);
        return items -> user.transform(items, true);
    }

    /**
     * What a transformation version costs the first time it runs (every version gets contexts of its own): the
     * median wall-clock milliseconds of a one-event request for a version never seen before (new context: harness,
     * frozen built-ins, the code's evaluation, one call), against the same for a version whose context is warm,
     * with the engine's compiled code shared by both. Also the contexts the pool created during the whole run.
     */
    private static Map<String, Object> newVersionCost(ContextPool pool) {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        CodeStore codes =
                new CodeStore(new ConfigBackendProperties("http://127.0.0.1:9", "", Duration.ofSeconds(1)), 1000, JSON);
        UserTransformer user = new UserTransformer(pool, codes, JSON, metrics);
        int rounds = Integer.getInteger("bench.newVersions", 40);
        long[] cold = new long[rounds];
        long[] warm = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            String versionId = "bench-new-" + r;
            codes.preload(versionId, SIMPLE.replace("'!'", "'" + r + "'"));
            List<TransformRequestItem> one =
                    List.of(JSON.readValue("""
                    {"message": {"type":"track","event":"E","messageId":"m"}, "metadata": {"messageId": "m"},
                     "destination": {"Transformations": [{"VersionID": "%s"}]}}""".formatted(versionId), TransformRequestItem.class));
            long started = System.nanoTime();
            user.transform(one, true);
            cold[r] = System.nanoTime() - started;
            started = System.nanoTime();
            user.transform(one, true);
            warm[r] = System.nanoTime() - started;
        }
        java.util.Arrays.sort(cold);
        java.util.Arrays.sort(warm);
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("versions", rounds);
        cost.put("firstRequestMedianMs", cold[rounds / 2] / 1e6);
        cost.put("warmRequestMedianMs", warm[rounds / 2] / 1e6);
        cost.put("contextsCreatedInRun", pool.contextsCreated());
        return cost;
    }

    /**
     * Events per wall-clock second, and per second of CPU the whole process used meanwhile (JIT compiler and GC
     * included): the second figure holds on a machine shared with other work, the first does not.
     */
    record Rate(double perSecond, double perCpuSecond) {}

    /** Callers send the same request over and over. */
    private static Rate drive(
            Function<List<TransformRequestItem>, List<TransformResponseItem>> run,
            List<TransformRequestItem> items,
            int callers,
            Duration duration)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        long started = System.nanoTime();
        long cpuStarted = PROCESS.getProcessCpuTime();
        List<Future<Long>> counts = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(callers)) {
            for (int i = 0; i < callers; i++) {
                counts.add(threads.submit(() -> {
                    long events = 0;
                    while (!stop.get()) {
                        List<TransformResponseItem> answer = run.apply(items);
                        if (answer.size() != items.size() || answer.getFirst().statusCode() != 200) {
                            throw new IllegalStateException("unexpected answer " + answer.getFirst());
                        }
                        events += items.size();
                    }
                    return events;
                }));
            }
            Thread.sleep(duration);
            stop.set(true);
            long total = 0;
            for (Future<Long> count : counts) {
                total += count.get();
            }
            double wallSeconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = (PROCESS.getProcessCpuTime() - cpuStarted) / 1e9;
            return new Rate(total / wallSeconds, total / cpuSeconds);
        }
    }

    private static List<TransformRequestItem> items(String workload, int batch) {
        String versionId = workload.startsWith("simple") ? "bench-simple" : "bench-loop";
        List<TransformRequestItem> items = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            String message = """
                    {"type":"track","event":"Product Viewed %1$d","messageId":"msg-%1$d","anonymousId":"anon-%2$d",
                     "userId":"user-%2$d","channel":"web","originalTimestamp":"2024-03-01T10:00:00.000Z",
                     "sentAt":"2024-03-01T10:00:00.100Z","receivedAt":"2024-03-01T10:00:00.200Z",
                     "context":{"library":{"name":"analytics.js","version":"3.0.0"},"ip":"203.0.113.9",
                       "page":{"url":"https://shop.example/p/%1$d","title":"Product"}},
                     "properties":{"product_id":"sku-%1$d","price":19.99,"currency":"EUR"}}""".formatted(i, i % 50);
            String json = """
                    {"message": %s,
                     "metadata": {"messageId": "msg-%d", "sourceId": "src", "destinationId": "dst", "workspaceId": "ws",
                                  "jobId": %d},
                     "destination": {"ID": "dst", "Config": {"webhookUrl": "https://sink.example/hook"},
                                     "Transformations": [{"VersionID": "%s"}]}}""".formatted(message, i, i, versionId);
            items.add(JSON.readValue(json, TransformRequestItem.class));
        }
        return items;
    }
}
