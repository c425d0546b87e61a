package dev.eventpipe.system.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The whole-suite benchmark ({@code bench/e2e.sh}). On the machine's PostgreSQL (a fresh database): the load
 * generator's own rate against a null server, the server's raw multi-row INSERT rate, then the transformer,
 * gateway, processor and router as separate JVMs (flags as {@code ./run.sh} gives them), one source with one
 * unbatched WEBHOOK destination pointing at a {@link LeanSink}. A light warm-up, then {@code --seconds} of load
 * (as fast as the gateway answers, or {@code --rate} events/s), then the drain. Prints progress to stderr and one
 * JSON line last on stdout. With {@code --jfr DIR} the processor, router, transformer and gateway record a JFR
 * profile of the load window into DIR. With {@code --transformation simple} (or {@code loop}) the destination also has
 * a JavaScript user transformation ({@link #TRANSFORMATIONS}), whose code the transformer fetches by version id
 * from the sink, standing in for the config backend's {@code /transformation/getByVersionId}. (Over 200 lines: the
 * run reads top to bottom, start to JSON line.)
 */
public final class E2eBenchmark {
    private static final String WRITE_KEY = "e2e-bench-write-key";

    /**
     * The user transformations {@code --transformation} can put on the path: {@code simple} adds one property (the
     * usual enrichment), {@code loop} also hashes three fields twenty times (CPU-bound JavaScript). Both keep the
     * event's {@code bench} property, which the sink checks.
     */
    static final Map<String, String> TRANSFORMATIONS = Map.of("simple", """
            export function transformEvent(event, metadata) {
              event.properties = event.properties || {};
              event.properties.enriched = event.event + '!';
              return event;
            }""", "loop", """
            export function transformEvent(event, metadata) {
              let h = 0;
              const s = String(event.anonymousId) + String(event.event) + String(event.messageId);
              for (let round = 0; round < 20; round++) {
                for (let i = 0; i < s.length; i++) { h = (h * 31 + s.charCodeAt(i)) | 0; }
              }
              event.properties = event.properties || {};
              event.properties.hash = h;
              return event;
            }""");

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "60"));
        int clients = Integer.parseInt(opt.getOrDefault("clients", "8"));
        int users = Integer.parseInt(opt.getOrDefault("users", "192"));
        int batch = Integer.parseInt(opt.getOrDefault("batch", "100"));
        double rate = Double.parseDouble(opt.getOrDefault("rate", "0"));
        int drainMax = Integer.parseInt(opt.getOrDefault("drain-max", "120"));
        String pgHost = opt.getOrDefault("pg-host", "127.0.0.1");
        String pgPort = opt.getOrDefault("pg-port", "5432");
        String pgUser = opt.getOrDefault("pg-user", "postgres");
        String pgPassword = opt.getOrDefault("pg-password", "postgres");
        String database = opt.getOrDefault("database", "eventpipe_e2e");
        Path jfr = opt.containsKey("jfr") ? Path.of(opt.get("jfr")).toAbsolutePath() : null;
        String transformation = opt.getOrDefault("transformation", "");
        if (!transformation.isEmpty() && !TRANSFORMATIONS.containsKey(transformation))
            throw new IllegalArgumentException("--transformation is one of " + TRANSFORMATIONS.keySet());
        Path root = Path.of(System.getProperty("eventpipe.root", "."))
                .toAbsolutePath()
                .normalize();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("date", Instant.now().toString());
        out.put("label", opt.getOrDefault("label", ""));
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("loadAverageAtStart", loadAverage());
        out.put("transformation", transformation.isEmpty() ? "none" : transformation);

        log("load generator against a null server (5 s) ...");
        try (LeanSink nul = LeanSink.nullServer()) {
            LoadGenerator g = new LoadGenerator("127.0.0.1", nul.port(), WRITE_KEY, clients, users, batch, 0, 0);
            long t0 = System.nanoTime();
            g.start();
            Thread.sleep(5000);
            g.stop();
            out.put("generatorNullServerEventsPerSec", Math.round(g.accepted.get() / ((System.nanoTime() - t0) / 1e9)));
        }

        String adminUrl = "jdbc:postgresql://" + pgHost + ":" + pgPort + "/postgres";
        String dbUrl = "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database;
        try (Connection c = DriverManager.getConnection(adminUrl, pgUser, pgPassword);
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + database);
        }
        log("raw multi-row INSERT rate (5 s) ...");
        double raw = RawInserts.rowsPerSecond(dbUrl, pgUser, pgPassword, Duration.ofSeconds(5));
        out.put("rawInsertRowsPerSec", Math.round(raw));

        List<BenchService> services = new ArrayList<>();
        try (LeanSink sink = LeanSink.start(2 * users, users)) {
            Path config = root.resolve("bench/target/workspaceConfig.json");
            Files.createDirectories(config.getParent());
            String versionId = "bench-" + transformation;
            if (!transformation.isEmpty()) sink.serveTransformation(versionId, TRANSFORMATIONS.get(transformation));
            Files.writeString(config, workspaceConfig(sink.url(), transformation.isEmpty() ? null : versionId));
            Map<String, String> env = new HashMap<>(Map.of(
                    "JOBS_DB_HOST", pgHost,
                    "JOBS_DB_PORT", pgPort,
                    "JOBS_DB_DB_NAME", database,
                    "JOBS_DB_USER", pgUser,
                    "JOBS_DB_PASSWORD", pgPassword,
                    "WORKSPACE_CONFIG_PATH", config.toString(),
                    // the sink is on this machine's loopback, which the egress policy refuses unless allowed; it
                    // also stands in for the config backend (below), one of the suite's own services, which only
                    // an entry naming its exact host:port opens (SECURITY.md, "No server-side request forgery")
                    "EGRESS_ALLOW", java.net.URI.create(sink.baseUrl()).getAuthority(),
                    "SERVICE_TOKEN", UUID.randomUUID().toString(),
                    // where the transformer fetches transformation code by version id: the sink stands in
                    "CONFIG_BACKEND_URL", sink.baseUrl()));
            for (String kv : opt.getOrDefault("env", "").split(",")) {
                if (kv.contains("=")) env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            out.put("extraEnv", opt.getOrDefault("env", ""));
            log("starting transformer and gateway ...");
            BenchService transformer = BenchService.start(root, "transformer-service", env);
            services.add(transformer);
            BenchService gateway = BenchService.start(root, "gateway-service", env);
            services.add(gateway);
            transformer.awaitHealthy(Duration.ofMinutes(5));
            gateway.awaitHealthy(Duration.ofMinutes(5));
            env.put("DEST_TRANSFORM_URL", transformer.url(""));
            log("starting processor and router ...");
            BenchService processor = BenchService.start(root, "processor-service", env);
            services.add(processor);
            BenchService router = BenchService.start(root, "router-service", env);
            services.add(router);
            processor.awaitHealthy(Duration.ofMinutes(5));
            router.awaitHealthy(Duration.ofMinutes(5));

            log("warm-up: 10 s at 2,000 events/s, then its drain ...");
            LoadGenerator warm =
                    new LoadGenerator("127.0.0.1", gateway.port, WRITE_KEY, clients, users, batch, 2000, users);
            warm.start();
            Thread.sleep(10_000);
            warm.stop();
            awaitDelivered(sink, warm.accepted.get(), Duration.ofSeconds(90), services);
            services.forEach(BenchService::requireAlive);
            if (warm.accepted.get() == 0)
                throw new IllegalStateException("the gateway accepted nothing in the warm-up (" + warm.refused.get()
                        + " events refused): see bench/target/logs/gateway-service.log");
            long deliveredBefore = sink.measured(); // 0: the warm-up's users are not counted
            double lagSum0 = processor.metric("processor_pipeline_lag_seconds_sum");
            double lagCount0 = processor.metric("processor_pipeline_lag_seconds_count");

            if (jfr != null) {
                Files.createDirectories(jfr);
                onEach(
                        services,
                        s -> s.jcmd(
                                "JFR.start",
                                "name=bench",
                                "settings=profile",
                                "filename=" + jfr.resolve(s.module + ".jfr")));
            }
            Map<String, Double> stages0 = stageSeconds(processor);
            double stored0 = processor.metric(STORED);
            log("load: " + seconds + " s, " + clients + " clients, " + users + " users, batches of " + batch
                    + (rate > 0 ? ", " + (long) rate + " events/s" : ", as fast as answered") + " ...");
            LoadGenerator load =
                    new LoadGenerator("127.0.0.1", gateway.port, WRITE_KEY, clients, users, batch, rate, 0);
            CpuTimes cpu0 = CpuTimes.now(services);
            long start = System.nanoTime();
            load.start();
            long end = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(5000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                progress(start, load.accepted.get(), sink.measured() - deliveredBefore, services);
            }
            load.stop();
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            services.forEach(BenchService::requireAlive); // a figure from a run a service left is no figure
            Map<String, Double> cpuDuringLoad = CpuTimes.now(services).since(cpu0);
            long accepted = load.accepted.get();
            long deliveredDuringLoad = sink.measured() - deliveredBefore;
            Map<String, Double> stages1 = stageSeconds(processor);
            double stored1 = processor.metric(STORED);
            if (jfr != null) onEach(services, s -> s.jcmd("JFR.stop", "name=bench"));
            double lagSum1 = processor.metric("processor_pipeline_lag_seconds_sum");
            double lagCount1 = processor.metric("processor_pipeline_lag_seconds_count");
            double processorLagMax = processor.metric("processor_pipeline_lag_seconds_max");

            log("drain (at most " + drainMax + " s) ...");
            long drainStart = System.nanoTime();
            boolean drained =
                    awaitMeasured(sink, accepted + load.unknown.get(), Duration.ofSeconds(drainMax), services);
            long delivered = sink.measured() - deliveredBefore;
            services.forEach(BenchService::requireAlive);
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9; // to the last event, or the limit
            double totalSeconds = loadSeconds + drainSeconds;
            long[] lat = load.latencies();

            out.put("seconds", Math.round(loadSeconds));
            out.put("clients", clients);
            out.put("users", users);
            out.put("batchSize", batch);
            out.put("targetRate", (long) rate);
            out.put("acceptedEvents", accepted);
            out.put("refusedEvents", load.refused.get());
            out.put("unansweredEvents", load.unknown.get());
            out.put("acceptedEventsPerSec", Math.round(accepted / loadSeconds));
            out.put("deliveredDuringLoadPerSec", Math.round(deliveredDuringLoad / loadSeconds));
            out.put("backlogAtLoadEnd", accepted - deliveredDuringLoad);
            // what the processor handed to the router during the load (rt jobs; one destination: one per event)
            out.put("processorStoredDuringLoadPerSec", Math.round((stored1 - stored0) / loadSeconds));
            out.put("drained", drained);
            out.put("drainSeconds", round1(drainSeconds));
            out.put("deliveredEvents", delivered);
            out.put("deliveredEventsPerSec", Math.round(delivered / totalSeconds));
            out.put(
                    "drainDeliveredPerSec",
                    drainSeconds > 0 ? Math.round((delivered - deliveredDuringLoad) / drainSeconds) : 0);
            out.put("outOfOrderOrDuplicate", sink.outOfOrder());
            out.put("sinkRequests", sink.requests());
            out.put("gatewayP50Ms", round1(percentile(lat, 0.50) / 1e6));
            out.put("gatewayP99Ms", round1(percentile(lat, 0.99) / 1e6));
            out.put("processorLagMeanMs", round1((lagSum1 - lagSum0) / Math.max(1, lagCount1 - lagCount0) * 1000));
            out.put("processorLagMaxMs", round1(processorLagMax * 1000));
            Map<String, Double> stageShare = new LinkedHashMap<>();
            for (String stage : STAGES) stageShare.put(stage, round1(stages1.get(stage) - stages0.get(stage)));
            out.put("processorStageSecondsDuringLoad", stageShare);
            out.put("endToEndLagP50Ms", sink.lagMillis(0.50));
            out.put("endToEndLagP99Ms", sink.lagMillis(0.99));
            Map<String, Long> rss = new LinkedHashMap<>();
            long total = 0;
            for (BenchService s : services) {
                rss.put(s.module, s.peakRssKb() / 1024);
                total += s.peakRssKb() / 1024;
            }
            // where the cores went during the load (machine: all of them; 2 cores give 2 s per second)
            out.put("cpuSecondsDuringLoad", cpuDuringLoad);
            out.put("peakRssMb", rss);
            Map<String, String> javaOpts = new LinkedHashMap<>();
            for (BenchService s : services) javaOpts.put(s.module, s.javaOpts);
            out.put("javaOpts", javaOpts);
            out.put("peakRssTotalMb", total);
            out.put("acceptedToRaw", round3(accepted / loadSeconds / raw));
            out.put("deliveredToRaw", round3(delivered / totalSeconds / raw));
            out.put("loadAverageAtEnd", loadAverage());
        } finally {
            for (BenchService s : services) s.close();
        }
        System.out.println(json(out));
        System.exit(0);
    }

    private static final String STORED = "processor_events_total{stage=\"stored\"}";
    // the processor's stages, and its pipeline's waits (the fetch thread for room, the store thread for a batch's
    // stages); with the pipelined loop the stages of different batches overlap, so their sum may exceed the load time
    private static final List<String> STAGES =
            List.of("fetch", "dedup", "fanout", "transform", "build", "store", "fetch_wait", "store_wait");

    /** Seconds the processor's loop has spent in each stage so far ({@code processor.stage.duration}). */
    private static Map<String, Double> stageSeconds(BenchService processor) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String stage : STAGES) {
            double v = processor.metric("processor_stage_duration_seconds_sum{stage=\"" + stage + "\"}");
            out.put(stage, Double.isNaN(v) ? 0 : v);
        }
        return out;
    }

    private interface ServiceAction {
        void run(BenchService s) throws Exception;
    }

    /** Runs the action on every service at once (jcmd takes seconds on a loaded machine: profiles start together). */
    private static void onEach(List<BenchService> services, ServiceAction action) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (BenchService s : services)
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    action.run(s);
                } catch (Exception e) {
                    log(s.module + ": " + e);
                }
            }));
        for (Thread t : threads) t.join();
    }

    private static boolean awaitMeasured(LeanSink sink, long target, Duration max, List<BenchService> services)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long lastLog = System.nanoTime();
        while (sink.measured() < target) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(100);
            if (System.nanoTime() - lastLog > 5_000_000_000L) {
                lastLog = System.nanoTime();
                for (BenchService s : services) s.sampleRssKb();
                log(String.format(Locale.ROOT, "  draining: %d to go", target - sink.measured()));
            }
        }
        return true;
    }

    private static boolean awaitDelivered(LeanSink sink, long target, Duration max, List<BenchService> services)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        long lastLog = start;
        while (sink.delivered() < target) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(100);
            if (System.nanoTime() - lastLog > 5_000_000_000L) {
                lastLog = System.nanoTime();
                for (BenchService s : services) s.sampleRssKb();
                log(String.format(Locale.ROOT, "  draining: %d to go", target - sink.delivered()));
            }
        }
        return true;
    }

    private static void progress(long start, long accepted, long delivered, List<BenchService> services) {
        StringBuilder rss = new StringBuilder();
        for (BenchService s : services)
            rss.append(' ').append(s.module.replace("-service", "")).append('=').append(s.sampleRssKb() / 1024);
        double t = (System.nanoTime() - start) / 1e9;
        log(String.format(
                Locale.ROOT,
                "  %5.1f s: accepted %d (%.0f/s), delivered %d (%.0f/s), RSS MB%s",
                t,
                accepted,
                accepted / t,
                delivered,
                delivered / t,
                rss));
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "";
        }
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String json(Map<String, ?> map) {
        StringBuilder sb = new StringBuilder("{");
        for (var e : map.entrySet()) {
            if (sb.length() > 1) sb.append(',');
            sb.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, ?> inner = (Map<String, ?>) m;
                sb.append(json(inner));
            } else if (v instanceof String s) sb.append('"').append(s).append('"');
            else sb.append(v);
        }
        return sb.append('}').toString();
    }

    private static void log(String line) {
        System.err.println("[e2e] " + line);
    }

    private static String workspaceConfig(String sinkUrl, String transformationVersionId) {
        String transformations = transformationVersionId == null
                ? ""
                : ",\"transformations\":[{\"id\":\"tr-bench\",\"versionId\":\"%s\",\"language\":\"javascript\"}]"
                        .formatted(transformationVersionId);
        return """
                {"workspaceId":"ws-bench","sources":[{"id":"src-bench","name":"Bench source",\
                "writeKey":"%s","workspaceId":"ws-bench","enabled":true,\
                "sourceDefinition":{"id":"def-http","name":"HTTP","category":""},\
                "destinations":[{"id":"dst-sink","name":"Sink","workspaceId":"ws-bench","enabled":true,\
                "isProcessorEnabled":true,"config":{"webhookUrl":"%s","webhookMethod":"POST"},\
                "destinationDefinition":{"id":"def-webhook","name":"WEBHOOK","displayName":"Webhook",\
                "config":{"supportedMessageTypes":["alias","group","identify","page","screen","track"]}}%s}]}]}""".formatted(WRITE_KEY, sinkUrl, transformations);
    }

    private E2eBenchmark() {}
}
