package dev.eventpipe.gateway.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Runs {@code clients} closed-loop clients for a fixed time, each with its own keep-alive connection, and
 * measures requests and events answered 200 and the latency of every request.
 */
final class LoadPhase {
    record Result(
            String name,
            int clients,
            int eventsPerRequest,
            double seconds,
            long okRequests,
            long okEvents,
            long failedRequests,
            double p50Millis,
            double p99Millis) {
        double requestsPerSecond() {
            return okRequests / seconds;
        }

        double eventsPerSecond() {
            return okEvents / seconds;
        }
    }

    private LoadPhase() {}

    /**
     * @param requests for client {@code i}, the pre-built requests it cycles through
     */
    static Result run(
            String name,
            String host,
            int port,
            int clients,
            int eventsPerRequest,
            Duration duration,
            IntFunction<List<byte[]>> requests)
            throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (int c = 0; c < clients; c++) {
            List<byte[]> mine = requests.apply(c);
            long[][] holder = new long[1][];
            latencies.add(null);
            int index = c;
            threads.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                try (HttpLoadClient client = new HttpLoadClient(host, port)) {
                    for (int i = 0; System.nanoTime() < end; i++) {
                        long t0 = System.nanoTime();
                        int status = client.send(mine.get(i % mine.size()));
                        long t1 = System.nanoTime();
                        if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                        lat[n++] = t1 - t0;
                        if (status == 200) ok.incrementAndGet();
                        else failed.incrementAndGet();
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                    System.err.println(name + " client " + index + " stopped: " + e);
                }
                holder[0] = Arrays.copyOf(lat, n);
                synchronized (latencies) {
                    latencies.set(index, holder[0]);
                }
            }));
        }
        for (Thread t : threads) t.join();
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all;
        synchronized (latencies) {
            all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        }
        return new Result(
                name,
                clients,
                eventsPerRequest,
                seconds,
                ok.get(),
                ok.get() * eventsPerRequest,
                failed.get(),
                percentile(all, 0.50),
                percentile(all, 0.99));
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }
}
