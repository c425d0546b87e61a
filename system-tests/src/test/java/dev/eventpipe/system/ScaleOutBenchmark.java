package dev.eventpipe.system;

import dev.eventpipe.system.bench.RawInserts;
import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;

/**
 * Pipeline throughput with 1 and with 3 processors and routers on one PostgreSQL (system-tests/scale-bench.sh).
 * For each shape: a fresh database, one transformer, 2 gateways behind HAProxy; the events are posted first
 * (batches of 50 from many users), then the processors and routers start, and the delivery rate is measured from
 * the moment all of them are healthy until the sink has every event. Prints one JSON line per shape, with the
 * PostgreSQL server's raw multi-row INSERT rate measured just before (10 s, {@code bench/RawInserts}: the yardstick
 * the pipeline's rates divide by, which shows how busy the machine was) and the load average at start and end.
 * Arguments: {@code --events 30000 --users 50 --shapes 1x1,3x3}.
 */
public final class ScaleOutBenchmark {
    public static void main(String[] args) throws Exception {
        int events = 30_000;
        int users = 50;
        String shapes = "1x1,3x3";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[i + 1]);
                case "--users" -> users = Integer.parseInt(args[i + 1]);
                case "--shapes" -> shapes = args[i + 1];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        for (String shape : shapes.split(",")) {
            String[] pr = shape.split("x");
            run(Integer.parseInt(pr[0]), Integer.parseInt(pr[1]), events, users);
        }
        System.exit(0);
    }

    private static void run(int processors, int routers, int events, int users) throws Exception {
        Path dir = Files.createTempDirectory("scale-bench");
        TestPostgres.Database yardstick = TestPostgres.newDatabase();
        double raw = RawInserts.rowsPerSecond(
                yardstick.url(), yardstick.user(), yardstick.password(), Duration.ofSeconds(10));
        String loadAtStart = loadAverage();
        try (Cluster cluster = new Cluster(dir)) {
            cluster.addGateway(1);
            cluster.addGateway(2);
            EventLoad load = new EventLoad(
                            cluster.proxy.url("/v1/batch"), Cluster.WRITE_KEY, users, events / users, 50, Duration.ZERO)
                    .start();
            Awaitility.await().atMost(Duration.ofMinutes(20)).until(load::finished);
            int total = load.acknowledged.size();
            double ingestSeconds = (load.lastAckNanos.get() - load.firstSentNanos.get()) / 1e9;

            List<ServiceProcess> started = new ArrayList<>();
            for (int i = 0; i < processors; i++) started.add(cluster.start("processor-service"));
            for (int i = 0; i < routers; i++) started.add(cluster.start("router-service"));
            started.forEach(ServiceProcess::awaitHealthy);
            long t0 = System.nanoTime();
            int deliveredAtT0 = delivered(cluster);
            Awaitility.await()
                    .atMost(Duration.ofMinutes(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> delivered(cluster) >= total);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double delivered = (total - deliveredAtT0) / seconds;
            System.out.printf(
                    "{\"date\":\"%s\",\"processors\":%d,\"routers\":%d,\"gateways\":2,\"events\":%d,"
                            + "\"ingestEventsPerSec\":%.0f,\"deliveredWhileStarting\":%d,"
                            + "\"deliveredEventsPerSec\":%.0f,\"deliverySeconds\":%.1f,\"rawInsertRowsPerSec\":%.0f,"
                            + "\"deliveredToRaw\":%.4f,\"loadAverageAtStart\":\"%s\",\"loadAverageAtEnd\":\"%s\","
                            + "\"cores\":%d}%n",
                    Instant.now(),
                    processors,
                    routers,
                    total,
                    total / ingestSeconds,
                    deliveredAtT0,
                    delivered,
                    seconds,
                    raw,
                    delivered / raw,
                    loadAtStart,
                    loadAverage(),
                    Runtime.getRuntime().availableProcessors());
        }
    }

    private static int delivered(Cluster cluster) {
        Set<String> ids = new HashSet<>();
        cluster.sink.accepted.forEach(e -> ids.add(e.path("messageId").asString()));
        return ids.size();
    }

    private static String loadAverage() {
        try {
            return String.join(
                    " ",
                    List.of(Files.readString(Path.of("/proc/loadavg")).split(" "))
                            .subList(0, 3));
        } catch (IOException e) {
            return "?";
        }
    }

    private ScaleOutBenchmark() {}
}
