package dev.eventpipe.processor.store;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.WorkspaceConfig;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.dedup.DedupKey;
import dev.eventpipe.processor.fanout.FanOutStage;
import dev.eventpipe.processor.pipeline.Batch;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.GwJob;
import dev.eventpipe.processor.transform.TransformStage;
import dev.eventpipe.processor.transform.TransformerClient;
import dev.eventpipe.processor.transform.TransformerStatus;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Not a test (no assertion, no time limit): a repeatable measurement of the processor's CPU and allocation per
 * event on the path the whole-suite benchmark takes, without a database or a transformer. For batches of 2,000
 * gw jobs shaped as the gateway stores the benchmark's events ({@code system-tests} {@code LoadGenerator},
 * enriched as {@code JobFactory} does), on one WEBHOOK destination built in process, it runs what a pipeline
 * worker runs: parse ({@link GwJob#parse}), the dedup keys, fan-out, the transform stage, and the rows of the
 * commit ({@link StoreStage#rows}: rt jobs, their parameters, the archive lines, the gw statuses). It prints, per
 * round, thread CPU ns per event (and wall), bytes allocated per event (ThreadMXBean) and the split by stage, then
 * the median round, and a digest of every rt payload and parameters and arc line built (without the random job
 * uuids), so two builds can be shown to write the same bytes.
 *
 * <pre>
 * ./mvnw -o -q -pl processor-service test-compile
 * ./mvnw -o -q -pl processor-service dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * nice -n 19 java -cp processor-service/target/test-classes:processor-service/target/classes:$(cat processor-service/target/cp.txt) \
 *   dev.eventpipe.processor.store.ProcessorCpuBench [warmupBatches measuredBatchesPerRound rounds]
 * </pre>
 */
public final class ProcessorCpuBench {
    private static final int JOBS_PER_BATCH = 2000;
    private static final int DISTINCT_BATCHES = 8;

    private static final String CONFIG = """
            {"workspaceId": "ws-bench", "sources": [{"id": "src-bench", "name": "bench", "writeKey": "wk-bench",
              "enabled": true, "workspaceId": "ws-bench",
              "sourceDefinition": {"id": "sd-http", "name": "HTTP", "category": ""},
              "destinations": [{"id": "dst-hook", "name": "sink", "enabled": true, "isProcessorEnabled": true,
                 "config": {"webhookUrl": "http://127.0.0.1:18080/hook", "webhookMethod": "POST"},
                 "destinationDefinition": {"id": "dd-webhook", "name": "WEBHOOK", "displayName": "Webhook",
                   "config": {}}}]}]}""";

    private ProcessorCpuBench() {}

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 150;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;

        ProcessorProperties properties = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("processor", Bindable.of(ProcessorProperties.class));
        ConfigIndex config = ConfigIndex.of(Json.mapper().readValue(CONFIG, WorkspaceConfig.class));
        FanOutStage fanOut = new FanOutStage(properties);
        TransformStage transform =
                new TransformStage(new TransformerClient(properties, new TransformerStatus()), properties);
        // rows() touches no database; the data source is never opened
        StoreStage store = new StoreStage(
                null, null, null, null, null, properties, new ArchiveProperties(true), new DriverManagerDataSource());

        List<List<Job>> inputs = new ArrayList<>();
        long id = 1;
        for (int b = 0; b < DISTINCT_BATCHES; b++) {
            List<Job> jobs = new ArrayList<>(JOBS_PER_BATCH);
            for (int i = 0; i < JOBS_PER_BATCH; i++) jobs.add(job(id++));
            inputs.add(jobs);
        }

        System.out.println("# ProcessorCpuBench " + Instant.now() + " host="
                + InetAddress.getLocalHost().getHostName()
                + " cpus=" + Runtime.getRuntime().availableProcessors() + " jdk=" + Runtime.version()
                + " loadavg=" + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("# " + JOBS_PER_BATCH + " gw jobs (one event each) per batch, one WEBHOOK destination in"
                + " process, archive on; warmup " + warmup + " batches, " + rounds + " rounds of " + perRound);
        System.out.println("# digest of the rows of the " + DISTINCT_BATCHES + " distinct batches: "
                + digest(inputs, fanOut, transform, store, config));

        Meter meter = new Meter();
        for (int b = 0; b < warmup; b++) run(inputs.get(b % DISTINCT_BATCHES), fanOut, transform, store, config, meter);
        double[][] results = new double[rounds][];
        for (int r = 0; r < rounds; r++) {
            meter = new Meter();
            long wall0 = System.nanoTime();
            for (int b = 0; b < perRound; b++)
                run(inputs.get(b % DISTINCT_BATCHES), fanOut, transform, store, config, meter);
            long wall = System.nanoTime() - wall0;
            double events = (double) perRound * JOBS_PER_BATCH;
            results[r] = new double[] {
                meter.cpuTotal() / events,
                wall / events,
                meter.allocTotal() / events,
                meter.cpu[0] / events,
                meter.cpu[1] / events,
                meter.cpu[2] / events,
                meter.cpu[3] / events,
                meter.alloc[0] / events,
                meter.alloc[1] / events,
                meter.alloc[2] / events,
                meter.alloc[3] / events
            };
            System.out.println("round " + (r + 1) + ": " + line(results[r]));
        }
        double[][] sorted = results.clone();
        Arrays.sort(sorted, (a, b) -> Double.compare(a[0], b[0]));
        System.out.println("median (by cpu): " + line(sorted[rounds / 2]));
    }

    private static String line(double[] r) {
        return String.format(
                "cpu %.0f ns/event (wall %.0f), alloc %.0f B/event | cpu ns/event parse %.0f, fanout %.0f,"
                        + " transform %.0f, rows %.0f | alloc B/event parse %.0f, fanout %.0f, transform %.0f, rows %.0f",
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10]);
    }

    /** Per stage: thread CPU nanoseconds and allocated bytes. */
    private static final class Meter {
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long[] cpu = new long[4];
        final long[] alloc = new long[4];
        private long cpu0;
        private long alloc0;

        void start() {
            cpu0 = THREADS.getCurrentThreadCpuTime();
            alloc0 = THREADS.getCurrentThreadAllocatedBytes();
        }

        void lap(int stage) {
            long c = THREADS.getCurrentThreadCpuTime();
            long a = THREADS.getCurrentThreadAllocatedBytes();
            cpu[stage] += c - cpu0;
            alloc[stage] += a - alloc0;
            cpu0 = c;
            alloc0 = a;
        }

        long cpuTotal() {
            return cpu[0] + cpu[1] + cpu[2] + cpu[3];
        }

        long allocTotal() {
            return alloc[0] + alloc[1] + alloc[2] + alloc[3];
        }
    }

    private static StoreStage.Rows run(
            List<Job> jobs,
            FanOutStage fanOut,
            TransformStage transform,
            StoreStage store,
            ConfigIndex config,
            Meter meter) {
        meter.start();
        List<GwJob> parsed = new ArrayList<>(jobs.size());
        for (Job job : jobs) parsed.add(GwJob.parse(job));
        meter.lap(0);
        BatchWork work = new BatchWork(parsed);
        for (GwJob job : parsed)
            for (ObjectNode event : job.events()) {
                // as DedupStage: the key of each event (the database lookup is not measured here)
                String messageId = event.path("messageId").asString("");
                DedupKey key = messageId.isEmpty()
                        ? null
                        : DedupKey.of(job.sourceId(), messageId, job.param("source_job_run_id"));
                work.accepted().add(new BatchWork.Accepted(job, key, event));
            }
        fanOut.apply(work, config);
        meter.lap(1);
        transform.apply(work, config);
        meter.lap(2);
        StoreStage.Rows rows = store.rows(new Batch(parsed, Set.of(0), Map.of()), work);
        meter.lap(3);
        return rows;
    }

    private static String digest(
            List<List<Job>> inputs, FanOutStage fanOut, TransformStage transform, StoreStage store, ConfigIndex config)
            throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long rows = 0;
        for (List<Job> jobs : inputs) {
            StoreStage.Rows built = run(jobs, fanOut, transform, store, config, new Meter());
            for (List<NewJob> queue : List.of(built.rt(), built.arc()))
                for (NewJob job : queue) {
                    rows++;
                    for (String s :
                            List.of(job.userId(), job.workspaceId(), job.customVal(), job.parameters(), job.payload()))
                        sha.update((s + "\n").getBytes(StandardCharsets.UTF_8));
                }
        }
        return rows + " rows, sha256 " + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    /** A gw job as the gateway stores one benchmark event. */
    private static Job job(long id) {
        int user = (int) (id % 192);
        String receivedAt = "2026-11-30T12:34:56.789Z";
        String event = "{\"type\":\"track\",\"event\":\"Bench Event\",\"userId\":\"user-" + user
                + "\",\"anonymousId\":\"anon-" + user + "\",\"messageId\":\"run1-" + user + "-" + id
                + "\",\"properties\":{\"bench\":\"" + user + ":" + id + ":1764506096789\",\"plan\":\"pro\","
                + "\"price\":12.5},\"context\":{\"library\":{\"name\":\"eventpipe-bench\",\"version\":\"1.0\"}},"
                + "\"rudderId\":\"" + UUID.nameUUIDFromBytes(("anon-" + user).getBytes(StandardCharsets.UTF_8))
                + "\",\"receivedAt\":\"" + receivedAt + "\",\"request_ip\":\"127.0.0.1\"}";
        String payload = "{\"batch\":[" + event + "],\"requestIP\":\"127.0.0.1\",\"writeKey\":\"wk-bench\","
                + "\"receivedAt\":\"" + receivedAt + "\"}";
        String parameters = "{\"source_id\":\"src-bench\",\"source_job_run_id\":\"\",\"source_task_run_id\":\"\","
                + "\"traceparent\":\"\",\"source_category\":\"eventStream\"}";
        return new Job(
                id,
                UUID.nameUUIDFromBytes(Long.toString(id).getBytes(StandardCharsets.UTF_8)),
                "<<>>anon-" + user + "<<>>user-" + user,
                "ws-bench",
                user % 64,
                "GW",
                parameters,
                payload,
                1,
                payload.length(),
                Instant.parse("2026-11-30T12:34:56.790Z"),
                null);
    }
}
