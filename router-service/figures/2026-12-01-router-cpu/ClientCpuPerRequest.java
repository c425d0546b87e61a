package dev.eventpipe.router.delivery;

import com.sun.net.httpserver.HttpServer;
import dev.eventpipe.model.egress.EgressPolicy;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: the CPU the router side spends per delivered request when 8 virtual threads (as a destination's 8
 * workers) each parse and send WEBHOOK payloads (RouterCpuBench's) one at a time through {@link HttpDelivery} to a
 * JDK HttpServer sink in this process: every thread's CPU but the sink's (its pool and dispatcher), per request, per
 * round of 8 x N requests; with {@code -Ddetail=true} also per thread group (carriers, the ForkJoinPool delay
 * scheduler, the pollers). {@code -Dplatform=true} sends from platform threads instead. Compile it with javac against
 * the router's test classpath and run it in package dev.eventpipe.router.delivery (HttpDelivery's constructor is
 * package-private), e.g. {@code javac -d /tmp/c -cp $CP ClientCpuPerRequest.java; java -Ddetail=true -cp /tmp/c:$CP
 * dev.eventpipe.router.delivery.ClientCpuPerRequest 3000} with CP = router-service/target/test-classes, classes and
 * target/cp.txt.
 */
public final class ClientCpuPerRequest {
    static final java.lang.management.ThreadMXBean T = ManagementFactory.getThreadMXBean();

    /** CPU of every thread but the sink's (its pool and its dispatcher), ns. */
    static long routerCpu() {
        long sum = 0;
        for (java.lang.management.ThreadInfo i : T.getThreadInfo(T.getAllThreadIds())) {
            if (i == null || i.getThreadName().startsWith("sink") || i.getThreadName().startsWith("HTTP-Dispatcher")) continue;
            long c = T.getThreadCpuTime(i.getThreadId());
            if (c > 0) sum += c;
        }
        return sum;
    }

    static java.util.Map<String, Long> byThread() {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo i : T.getThreadInfo(T.getAllThreadIds())) {
            if (i == null) continue;
            long c = T.getThreadCpuTime(i.getThreadId());
            if (c > 0) m.merge(i.getThreadName().replaceAll("\\d+", "N"), c, Long::sum);
        }
        return m;
    }

    static void gatherLoop(
            java.util.concurrent.LinkedBlockingQueue<Object> queue,
            java.util.concurrent.atomic.AtomicBoolean running,
            boolean step) {
        try {
            while (running.get() || !queue.isEmpty()) {
                Object first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) continue;
                List<Object> batch = new ArrayList<>();
                batch.add(first);
                long deadline = System.nanoTime() + 200_000_000L;
                if (step) {
                    while (true) {
                        queue.drainTo(batch, 1000 - batch.size());
                        long left = deadline - System.nanoTime();
                        if (batch.size() >= 1000 || left <= 0) break;
                        Thread.sleep(Duration.ofNanos(Math.min(left, 5_000_000L)));
                    }
                } else {
                    while (batch.size() < 1000) {
                        Object next = queue.poll(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                        if (next == null) break;
                        batch.add(next);
                        queue.drainTo(batch, 1000 - batch.size());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        int senders = Integer.getInteger("senders", 8), perSender = Integer.parseInt(args.length > 0 ? args[0] : "4000"), rounds = 6;
        HttpServer sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        sink.setExecutor(Executors.newFixedThreadPool(4, r -> new Thread(r, "sink-worker")));
        sink.createContext("/", ex -> {
            try (InputStream in = ex.getRequestBody()) { in.readAllBytes(); }
            ex.sendResponseHeaders(200, 2);
            try (OutputStream out = ex.getResponseBody()) { out.write("OK".getBytes(StandardCharsets.US_ASCII)); }
        });
        sink.start();
        String endpoint = "http://127.0.0.1:" + sink.getAddress().getPort() + "/hook";
        List<String> payloads = new ArrayList<>();
        Random random = new Random(16);
        for (int i = 0; i < 4096; i++) payloads.add(RouterCpuBench.payload(endpoint, i, random));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (HttpDelivery delivery = new HttpDelivery(EgressPolicy.of("127.0.0.1/32", false, List.of()))) {
            for (int r = 0; r < rounds + 2; r++) {
                for (boolean virtual : new boolean[] {!Boolean.getBoolean("platform") ? true : false}) {
                    long cpu0 = routerCpu(); java.util.Map<String, Long> by0 = byThread();
                    long wall0 = System.nanoTime();
                    AtomicLong failed = new AtomicLong();
                    // -Dgather=poll|step: each result also goes to a queue that one virtual thread gathers in batches
                    // (1,000 or 200 ms), as StatusCommitter does: a timed poll per status, or a look every 5 ms
                    String gather = System.getProperty("gather", "none");
                    java.util.concurrent.LinkedBlockingQueue<Object> statuses = new java.util.concurrent.LinkedBlockingQueue<>();
                    java.util.concurrent.atomic.AtomicBoolean gathering = new java.util.concurrent.atomic.AtomicBoolean(true);
                    Thread gatherer = gather.equals("none") ? null : Thread.ofVirtual().start(() -> gatherLoop(statuses, gathering, gather.equals("step")));
                    List<Thread> threads = new ArrayList<>();
                    for (int s = 0; s < senders; s++) {
                        int offset = s * 512;
                        Runnable work = () -> {
                            for (int i = 0; i < perSender; i++) {
                                DeliveryRequest req = DeliveryRequest.parse(payloads.get((offset + i) % payloads.size()));
                                if (!(delivery.send(req, Duration.ofSeconds(10)) instanceof DeliveryResult.Delivered))
                                    failed.incrementAndGet();
                                if (gatherer != null) statuses.add(req);
                            }
                        };
                        threads.add(virtual ? Thread.ofVirtual().start(work) : Thread.ofPlatform().start(work));
                    }
                    for (Thread t : threads) t.join();
                    gathering.set(false);
                    if (gatherer != null) gatherer.join();
                    double n = senders * (double) perSender;
                    if (r >= 2)
                        System.out.printf("round %d %-8s cpu but the sink %6.1f us/request, wall %5.1f us/request, failed %d%n",
                                r - 1, virtual ? "virtual" : "platform", (routerCpu() - cpu0) / n / 1000,
                                (System.nanoTime() - wall0) / n / 1000, failed.get());
                    if (r >= 2 && Boolean.getBoolean("detail")) {
                        java.util.Map<String, Long> by1 = byThread();
                        StringBuilder d = new StringBuilder("   ");
                        by1.forEach((k, v) -> { long dv = v - by0.getOrDefault(k, 0L); if (dv > 0) d.append(String.format(" %s=%.1f", k, dv / n / 1000)); });
                        System.out.println(d);
                    }
                }
            }
        } finally {
            sink.stop(0);
            System.exit(0);
        }
    }
}
