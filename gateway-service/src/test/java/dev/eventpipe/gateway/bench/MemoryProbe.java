package dev.eventpipe.gateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Peak resident memory (the kernel's high-water mark) and peak used heap of the gateway. */
final class MemoryProbe {
    private static final Pattern HWM = Pattern.compile("VmHWM:\\s+(\\d+) kB");
    private static final Pattern VALUE = Pattern.compile("\"value\":([0-9.Ee+-]+)");
    private final int port;
    private final long pid;
    private final AtomicLong peakHeap = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    /** The service token the benchmark gives the gateway: its metrics answer only callers holding it. */
    static final String SERVICE_TOKEN = "bench-service-token";

    MemoryProbe(int port, long pid) {
        this.port = port;
        this.pid = pid;
    }

    void start() {
        running = true;
        HttpClient http = HttpClient.newHttpClient();
        thread = Thread.ofPlatform().daemon().start(() -> {
            while (running) {
                try {
                    String body = http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                                    + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
                                            .header("Authorization", "Bearer " + SERVICE_TOKEN)
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
                    Matcher m = VALUE.matcher(body);
                    if (m.find()) peakHeap.accumulateAndGet((long) Double.parseDouble(m.group(1)), Math::max);
                    Thread.sleep(500);
                } catch (IOException e) {
                    // a missed sample
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join();
    }

    /** user + system CPU time of the gateway process so far (-1 when unknown). */
    double cpuSeconds() {
        if (pid <= 0) return -1;
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // clock ticks (USER_HZ = 100)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Mean events per commit and mean commit time, from the gateway's own metrics. */
    String writerStats() {
        HttpClient http = HttpClient.newHttpClient();
        try {
            String size = http.send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://127.0.0.1:" + port + "/actuator/metrics/gateway.batch.size"))
                                    .header("Authorization", "Bearer " + SERVICE_TOKEN)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            String latency = http.send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://127.0.0.1:" + port + "/actuator/metrics/gateway.commit.latency"))
                                    .header("Authorization", "Bearer " + SERVICE_TOKEN)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            return String.format(
                    Locale.ROOT,
                    "%.1f events/commit, %.2f ms/commit",
                    stat(size, "TOTAL") / stat(size, "COUNT"),
                    1000 * stat(latency, "TOTAL_TIME") / stat(latency, "COUNT"));
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "n/a";
        }
    }

    private static double stat(String body, String name) {
        Matcher m = Pattern.compile("\\{\"statistic\":\"" + name + "\",\"value\":([0-9.Ee+-]+)\\}")
                .matcher(body);
        if (!m.find()) throw new IllegalStateException("no " + name);
        return Double.parseDouble(m.group(1));
    }

    double peakHeapMb() {
        return peakHeap.get() / 1048576.0;
    }

    double peakRssMb() {
        if (pid <= 0) return -1;
        try {
            Matcher m = HWM.matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
            return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
