package dev.eventpipe.jobsdb;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.router.status.RtJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Not a test: the per-job steps the 2026-12-01 changes take out of the router's pickup and status commit, each old
 * way against the new, on one thread (thread CPU ns and allocated bytes per job, median of rounds, the two ways
 * alternated round by round). Declared in jobsdb's package for CopyRows' time text. Run from the repository root
 * after {@code ./mvnw -o -q -pl router-service test-compile} and {@code dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt}:
 *
 * <pre>
 * java -cp router-service/target/classes:$(cat router-service/target/cp.txt) \
 *   router-service/figures/2026-12-01-router-cpu/PerJobSteps.java
 * </pre>
 *
 * <ul>
 *   <li>destination: {@code RtJob.of(job)} (the parameters streamed for their destination_id) against
 *       {@code RtJob.of(job, destinationId)} (the id the destination's read asked for);
 *   <li>meter: {@code Counter.builder(...).register(registry).increment()} per outcome against the counter found in
 *       a map by (type, state);
 *   <li>time: {@code Instant.toString().getBytes(US_ASCII)} against {@code CopyRows.isoInstant} into a buffer.
 * </ul>
 */
public final class PerJobSteps {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    static volatile Object sink;
    static long blackhole;

    public static void main(String[] args) {
        int n = 200_000;
        int rounds = 15;
        // parameters as the processor writes them (RtJobs.parameters), as PostgreSQL gives jsonb back: keys ordered
        String parameters = "{\"record_id\": \"\", \"event_name\": \"Bench Event\", \"event_type\": \"track\","
                + " \"message_id\": \"mx3nrln4-17-12345\", \"source_id\": \"2mkSrc0000000000000000000000\","
                + " \"traceparent\": \"\", \"workspaceId\": \"2mkWs00000000000000000000000\", \"received_at\":"
                + " \"2026-12-01T02:17:40.123Z\", \"source_name\": \"bench\", \"transform_at\": \"processor\","
                + " \"source_job_id\": \"\", \"destination_id\": \"2mkDst0000000000000000000000\","
                + " \"gateway_job_id\": 123456, \"source_category\": \"\", \"source_job_run_id\": \"\","
                + " \"source_task_run_id\": \"\", \"source_definition_id\": \"sd-http\","
                + " \"destination_definition_id\": \"dd-webhook\"}";
        Job job = new Job(1, UUID.randomUUID(), "user-17", "ws", 3, "WEBHOOK", parameters, "{}", 1, 700,
                Instant.now(), null);
        String destination = "2mkDst0000000000000000000000";
        if (!RtJob.of(job).destinationId().equals(destination)) throw new AssertionError();
        MeterRegistry registry = new SimpleMeterRegistry();
        Map<Object, Counter> counters = new ConcurrentHashMap<>();
        record Result(String type, JobState state) {}
        byte[] buffer = new byte[64];
        Instant[] times = new Instant[1024];
        Instant t0 = Instant.now();
        for (int i = 0; i < times.length; i++) times[i] = t0.plusNanos(i * 1_234_567_891L % 9_000_000_000L / 1000 * 1000);

        System.out.println("# PerJobSteps " + Instant.now() + " cpus=" + Runtime.getRuntime().availableProcessors()
                + " jdk=" + Runtime.version() + " loadavg="
                + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() + "; " + n + " jobs a round, "
                + rounds + " rounds after 5 of warm-up; medians, ns and bytes per job");
        Step[] steps = {
            new Step("destination, old: RtJob.of(job)", () -> {
                for (int i = 0; i < n; i++) sink = RtJob.of(job);
            }),
            new Step("destination, new: RtJob.of(job, id)", () -> {
                for (int i = 0; i < n; i++) sink = RtJob.of(job, destination);
            }),
            new Step("meter, old: Counter.builder().register()", () -> {
                for (int i = 0; i < n; i++)
                    Counter.builder("router.deliveries")
                            .tag("destination.type", "WEBHOOK")
                            .tag("result", JobState.SUCCEEDED.name().toLowerCase(Locale.ROOT))
                            .register(registry)
                            .increment();
            }),
            new Step("meter, new: map of registered counters", () -> {
                for (int i = 0; i < n; i++)
                    counters.computeIfAbsent(new Result("WEBHOOK", JobState.SUCCEEDED), r -> Counter.builder(
                                    "router.deliveries")
                            .tag("destination.type", "WEBHOOK")
                            .tag("result", "succeeded")
                            .register(registry))
                            .increment();
            }),
            new Step("time, old: Instant.toString() bytes", () -> {
                for (int i = 0; i < n; i++) {
                    byte[] b = times[i & 1023].toString().getBytes(StandardCharsets.US_ASCII);
                    blackhole += b.length;
                }
            }),
            new Step("time, new: CopyRows.isoInstant", () -> {
                for (int i = 0; i < n; i++) {
                    Instant t = times[i & 1023];
                    blackhole += CopyRows.isoInstant(t.getEpochSecond(), t.getNano(), buffer, 0);
                }
            }),
        };
        for (int r = 0; r < 5; r++) for (Step s : steps) s.measure(n);
        for (Step s : steps) s.reset();
        for (int r = 0; r < rounds; r++) for (Step s : steps) s.measure(n);
        for (Step s : steps) System.out.println(s.report());
    }

    private static final class Step {
        final String name;
        final Runnable body;
        final java.util.List<double[]> results = new java.util.ArrayList<>();

        Step(String name, Runnable body) {
            this.name = name;
            this.body = body;
        }

        void measure(int n) {
            long c = THREADS.getCurrentThreadCpuTime();
            long a = THREADS.getCurrentThreadAllocatedBytes();
            body.run();
            results.add(new double[] {
                (THREADS.getCurrentThreadCpuTime() - c) / (double) n,
                (THREADS.getCurrentThreadAllocatedBytes() - a) / (double) n
            });
        }

        void reset() {
            results.clear();
        }

        String report() {
            double[] cpu = results.stream().mapToDouble(r -> r[0]).sorted().toArray();
            double[] alloc = results.stream().mapToDouble(r -> r[1]).sorted().toArray();
            return String.format("%-44s cpu %7.0f ns/job (min %.0f, max %.0f), alloc %5.0f B/job", name,
                    cpu[cpu.length / 2], cpu[0], cpu[cpu.length - 1], alloc[alloc.length / 2]);
        }
    }
}
