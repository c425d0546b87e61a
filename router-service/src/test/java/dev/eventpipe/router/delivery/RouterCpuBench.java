package dev.eventpipe.router.delivery;

import com.sun.net.httpserver.HttpServer;
import dev.eventpipe.model.egress.EgressPolicy;
import dev.eventpipe.router.status.StatusJson;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * Not a test (no assertion, no time limit): a repeatable measurement of the router worker's CPU and allocation per
 * delivered event, without a database. For rt payloads shaped as the whole-suite benchmark's (one WEBHOOK
 * destination: the processor's {@code {version,type,method,endpoint,headers,params,body:{JSON:{…}}}}, about 730
 * bytes, as read from {@code rt_jobs} after a {@code bench/e2e.sh} run), it runs, on one thread, what a worker runs
 * per job, step by step over a round: {@link DeliveryRequest#parse}, {@link HttpDelivery#send} to a sink on this machine that answers 200 at
 * once (the sink's CPU is on other threads and not counted), and the status document of the attempt
 * ({@link StatusJson#attempt}). It prints, per round, the calling thread's CPU ns and allocated bytes per event
 * (ThreadMXBean), split by step, then the median round, and a digest of every request parsed (method, URI, headers,
 * body bytes, body type) and of the bodies the sink received, so two builds can be shown to send the same bytes.
 *
 * <pre>
 * ./mvnw -o -q -pl router-service test-compile
 * ./mvnw -o -q -pl router-service dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * nice -n 19 java -cp router-service/target/test-classes:router-service/target/classes:$(cat router-service/target/cp.txt) \
 *   dev.eventpipe.router.delivery.RouterCpuBench [warmupRounds eventsPerRound rounds]
 * </pre>
 */
public final class RouterCpuBench {
    private static final int DISTINCT = 4096;

    private RouterCpuBench() {}

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;

        MessageDigest received = MessageDigest.getInstance("SHA-256");
        HttpServer sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        sink.setExecutor(Executors.newSingleThreadExecutor());
        boolean[] digesting = {true};
        sink.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (digesting[0]) {
                received.update(exchange.getRequestMethod().getBytes(StandardCharsets.UTF_8));
                received.update(exchange.getRequestURI().toString().getBytes(StandardCharsets.UTF_8));
                received.update(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"))
                        .getBytes(StandardCharsets.UTF_8));
                received.update(body);
            }
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("OK".getBytes(StandardCharsets.US_ASCII));
            }
        });
        sink.start();
        String endpoint = "http://127.0.0.1:" + sink.getAddress().getPort() + "/hook";

        List<String> payloads = new ArrayList<>(DISTINCT);
        Random random = new Random(16);
        for (int i = 0; i < DISTINCT; i++) payloads.add(payload(endpoint, i, random));

        try (HttpDelivery delivery = new HttpDelivery(EgressPolicy.of("127.0.0.1/32", false, List.of()))) {
            System.out.println("# RouterCpuBench " + Instant.now() + " host="
                    + InetAddress.getLocalHost().getHostName()
                    + " cpus=" + Runtime.getRuntime().availableProcessors() + " jdk=" + Runtime.version()
                    + " loadavg=" + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.println("# " + DISTINCT + " distinct WEBHOOK rt payloads ("
                    + payloads.get(0).length()
                    + " chars each), one thread, sink on 127.0.0.1; warmup " + warmup + " rounds, " + rounds
                    + " rounds of " + perRound + " events");
            // parsed with a fixed endpoint: the sink's port changes from run to run
            List<String> fixed = new ArrayList<>(DISTINCT);
            Random again = new Random(16);
            for (int i = 0; i < DISTINCT; i++) fixed.add(payload("http://127.0.0.1:1/hook", i, again));
            System.out.println("# digest of the " + DISTINCT + " requests parsed: " + parsedDigest(fixed));
            for (String p : payloads) delivery.send(DeliveryRequest.parse(p), Duration.ofSeconds(10));
            digesting[0] = false;
            System.out.println("# digest of what the sink received for them: "
                    + HexFormat.of().formatHex(received.digest()));

            for (int r = 0; r < warmup; r++) round(payloads, perRound, delivery);
            double[][] results = new double[rounds][];
            for (int r = 0; r < rounds; r++) {
                results[r] = round(payloads, perRound, delivery);
                System.out.println("round " + (r + 1) + ": " + line(results[r]));
            }
            double[][] sorted = results.clone();
            Arrays.sort(sorted, (a, b) -> Double.compare(a[0], b[0]));
            System.out.println("median (by cpu): " + line(sorted[rounds / 2]));
        } finally {
            sink.stop(0);
            System.exit(0);
        }
    }

    private static double[] round(List<String> payloads, int events, HttpDelivery delivery) {
        // step by step over the whole round (a thread CPU reading costs about a microsecond: not one per event)
        Meter meter = new Meter();
        long wall0 = System.nanoTime();
        Instant first = Instant.now().truncatedTo(ChronoUnit.MICROS);
        DeliveryRequest[] requests = new DeliveryRequest[events];
        DeliveryResult[] results = new DeliveryResult[events];
        meter.start();
        for (int i = 0; i < events; i++) requests[i] = DeliveryRequest.parse(payloads.get(i % payloads.size()));
        meter.lap(0);
        for (int i = 0; i < events; i++) results[i] = delivery.send(requests[i], Duration.ofSeconds(10));
        meter.lap(1);
        for (int i = 0; i < events; i++) {
            if (!(results[i] instanceof DeliveryResult.Delivered d))
                throw new IllegalStateException("not delivered: " + results[i]);
            StatusJson.attempt(d.body(), first, d.contentType());
        }
        meter.lap(2);
        long wall = System.nanoTime() - wall0;
        double n = events;
        return new double[] {
            meter.cpuTotal() / n,
            wall / n,
            meter.allocTotal() / n,
            meter.cpu[0] / n,
            meter.cpu[1] / n,
            meter.cpu[2] / n,
            meter.alloc[0] / n,
            meter.alloc[1] / n,
            meter.alloc[2] / n
        };
    }

    private static String line(double[] r) {
        return String.format(
                "cpu %.0f ns/event (wall %.0f), alloc %.0f B/event | cpu ns/event parse %.0f, send %.0f, status %.0f"
                        + " | alloc B/event parse %.0f, send %.0f, status %.0f",
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]);
    }

    /** As the processor writes a WEBHOOK rt payload for one of the benchmark's track events. */
    static String payload(String endpoint, int i, Random random) {
        int user = i % 192;
        String at = Instant.parse("2026-11-30T19:26:36.856Z").plusMillis(i * 7L).toString();
        return "{\"version\":\"1\",\"type\":\"REST\",\"method\":\"POST\",\"endpoint\":\"" + endpoint + "\","
                + "\"headers\":{\"content-type\":\"application/json\"},\"params\":{},\"body\":{\"JSON\":{"
                + "\"type\":\"track\",\"event\":\"Bench Event\",\"userId\":\"user-" + user
                + "\",\"anonymousId\":\"anon-"
                + user + "\",\"messageId\":\"mx3nrln4-" + user + "-" + i + "\",\"properties\":{\"bench\":\"" + user
                + ":" + i + ":1796066796841\",\"plan\":\"pro\",\"price\":" + (random.nextInt(10_000) / 100.0) + "},"
                + "\"context\":{\"library\":{\"name\":\"eventpipe-bench\",\"version\":\"1.0\"},\"ip\":\"127.0.0.1\"},"
                + "\"rudderId\":\"" + new UUID(random.nextLong(), random.nextLong()) + "\",\"receivedAt\":\"" + at
                + "\",\"request_ip\":\"127.0.0.1\",\"originalTimestamp\":\"" + at + "\",\"sentAt\":\"" + at
                + "\",\"timestamp\":\"" + at + "\"},\"JSON_ARRAY\":{},\"XML\":{},\"FORM\":{}},\"files\":{},"
                + "\"userId\":\"anon-" + user + "\"}";
    }

    private static String parsedDigest(List<String> payloads) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (String p : payloads) {
            DeliveryRequest r = DeliveryRequest.parse(p);
            md.update((r.method() + "\n" + r.uri() + "\n" + r.bodyType() + "\n").getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, String> h : r.headers().entrySet())
                md.update((h.getKey() + ": " + h.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
            if (r.body() != null) md.update(r.body());
            md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Per step: thread CPU nanoseconds and allocated bytes. */
    private static final class Meter {
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long[] cpu = new long[3];
        final long[] alloc = new long[3];
        private long cpu0;
        private long alloc0;

        void start() {
            cpu0 = THREADS.getCurrentThreadCpuTime();
            alloc0 = THREADS.getCurrentThreadAllocatedBytes();
        }

        void lap(int step) {
            long c = THREADS.getCurrentThreadCpuTime();
            long a = THREADS.getCurrentThreadAllocatedBytes();
            cpu[step] += c - cpu0;
            alloc[step] += a - alloc0;
            cpu0 = c;
            alloc0 = a;
        }

        long cpuTotal() {
            return cpu[0] + cpu[1] + cpu[2];
        }

        long allocTotal() {
            return alloc[0] + alloc[1] + alloc[2];
        }
    }
}
