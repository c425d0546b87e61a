import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;

/**
 * RouterCpuBench's steps (parse, send to a local sink, status document) for two builds of router-service in one JVM,
 * each in its own class loader (with its own copy of every dependency), rounds alternating between them, so that a
 * busy machine slows both alike. Prints per round and the medians; thread CPU and allocation of the calling thread.
 *
 * <pre>
 * java -cp router-service/target/test-classes:router-service/target/classes:$(cat router-service/target/cp.txt) \
 *   router-service/figures/2026-11-30-router-cpu/RouterCpuAB.java A-classes-dir B-classes-dir rounds eventsPerRound
 * </pre>
 * (the class path above only serves the payload generator, {@code RouterCpuBench.payload}).
 */
public class RouterCpuAB {
    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static final class Variant {
        final String name;
        final Method parse, send, attempt, body, contentType;
        final Object delivery;

        Variant(String name, String classes, String deps) throws Exception {
            this.name = name;
            List<URL> urls = new ArrayList<>();
            urls.add(new File(classes).toURI().toURL());
            for (String jar : deps.split(File.pathSeparator)) urls.add(new File(jar).toURI().toURL());
            ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
            Class<?> request = loader.loadClass("dev.eventpipe.router.delivery.DeliveryRequest");
            parse = request.getMethod("parse", String.class);
            Class<?> http = loader.loadClass("dev.eventpipe.router.delivery.HttpDelivery");
            Class<?> egress = loader.loadClass("dev.eventpipe.model.egress.EgressPolicy");
            Object policy = egress.getMethod("of", String.class, boolean.class, java.util.Collection.class)
                    .invoke(null, "127.0.0.1/32", false, List.of());
            Constructor<?> c = http.getDeclaredConstructor(egress);
            c.setAccessible(true);
            delivery = c.newInstance(policy);
            send = http.getMethod("send", request, Duration.class);
            attempt = loader.loadClass("dev.eventpipe.router.status.StatusJson")
                    .getMethod("attempt", String.class, Instant.class, String.class);
            Class<?> delivered = loader.loadClass("dev.eventpipe.router.delivery.DeliveryResult$Delivered");
            body = delivered.getMethod("body");
            contentType = delivered.getMethod("contentType");
        }
    }

    public static void main(String[] args) throws Exception {
        String deps = Files.cp();
        int rounds = Integer.parseInt(args[2]);
        int events = Integer.parseInt(args[3]);
        HttpServer sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        sink.setExecutor(Executors.newSingleThreadExecutor());
        sink.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("OK".getBytes(StandardCharsets.US_ASCII));
            }
        });
        sink.start();
        String endpoint = "http://127.0.0.1:" + sink.getAddress().getPort() + "/hook";
        Method payload = Class.forName("dev.eventpipe.router.delivery.RouterCpuBench")
                .getDeclaredMethod("payload", String.class, int.class, Random.class);
        payload.setAccessible(true);
        List<String> payloads = new ArrayList<>();
        Random random = new Random(16);
        for (int i = 0; i < 4096; i++) payloads.add((String) payload.invoke(null, endpoint, i, random));

        Variant[] variants = {new Variant("A " + args[0], args[0], deps), new Variant("B " + args[1], args[1], deps)};
        System.out.println("# RouterCpuAB " + Instant.now() + " host=" + InetAddress.getLocalHost().getHostName()
                + " cpus=" + Runtime.getRuntime().availableProcessors() + " jdk=" + Runtime.version()
                + " loadavg=" + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("# " + rounds + " rounds of " + events + " events per variant, alternating (after 5 warm-up"
                + " rounds each); per event: cpu ns total / parse / send / status, alloc B total / parse / send / status");
        for (int w = 0; w < 5; w++) for (Variant v : variants) round(v, payloads, events);
        double[][][] results = new double[2][rounds][];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                int which = (r % 2 == 0) ? k : 1 - k;
                results[which][r] = round(variants[which], payloads, events);
                System.out.println("round " + (r + 1) + " " + variants[which].name.charAt(0) + ": "
                        + line(results[which][r]));
            }
        }
        for (int k = 0; k < 2; k++) {
            double[] median = new double[8];
            for (int i = 0; i < 8; i++) {
                double[] col = new double[rounds];
                for (int r = 0; r < rounds; r++) col[r] = results[k][r][i];
                Arrays.sort(col);
                median[i] = col[rounds / 2];
            }
            System.out.println("median per column, " + variants[k].name + ": " + line(median));
        }
        sink.stop(0);
        System.exit(0);
    }

    static String line(double[] r) {
        return String.format("cpu %.0f / %.0f / %.0f / %.0f ns, alloc %.0f / %.0f / %.0f / %.0f B",
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
    }

    static double[] round(Variant v, List<String> payloads, int events) throws Exception {
        Object[] requests = new Object[events];
        Object[] results = new Object[events];
        Instant first = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Duration timeout = Duration.ofSeconds(10);
        long c0 = THREADS.getCurrentThreadCpuTime(), a0 = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < events; i++) requests[i] = v.parse.invoke(null, payloads.get(i % payloads.size()));
        long c1 = THREADS.getCurrentThreadCpuTime(), a1 = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < events; i++) results[i] = v.send.invoke(v.delivery, requests[i], timeout);
        long c2 = THREADS.getCurrentThreadCpuTime(), a2 = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < events; i++)
            v.attempt.invoke(null, v.body.invoke(results[i]), first, v.contentType.invoke(results[i]));
        long c3 = THREADS.getCurrentThreadCpuTime(), a3 = THREADS.getCurrentThreadAllocatedBytes();
        double n = events;
        return new double[] {
            (c3 - c0) / n, (c1 - c0) / n, (c2 - c1) / n, (c3 - c2) / n,
            (a3 - a0) / n, (a1 - a0) / n, (a2 - a1) / n, (a3 - a2) / n
        };
    }

    static final class Files {
        static String cp() throws Exception {
            return java.nio.file.Files.readString(java.nio.file.Path.of("target/cp.txt")).trim();
        }
    }
}
