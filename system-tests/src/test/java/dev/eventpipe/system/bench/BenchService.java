package dev.eventpipe.system.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service started from its exec jar with the JVM flags {@code ./run.sh} gives it (its heap, or {@code
 * <NAME>_JAVA_OPTS} from the environment given, plus the transformer's {@code jvm-flags.txt}), its output in {@code
 * bench/target/logs}. It reports its resident memory from {@code /proc} and can record a JFR profile for a window of
 * the run.
 */
final class BenchService implements AutoCloseable {
    /**
     * The default heaps, the same as the launcher's ({@code launcher/.../Service.java}, what {@code ./run.sh} gives):
     * keep the two equal, so that the benchmark measures what users run.
     */
    static final Map<String, String> HEAPS = Map.of(
            "config-backend", "512m",
            "transformer-service", "512m",
            "gateway-service", "256m",
            "processor-service", "768m",
            "router-service", "256m",
            "warehouse-service", "512m");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final String module;
    final int port;
    private final Process process;
    private final Path root;
    private final String token;
    private long peakRssKb;

    /** The heap options it was started with. */
    final String javaOpts;

    private BenchService(String module, int port, Process process, Path root, String token, String javaOpts) {
        this.module = module;
        this.javaOpts = javaOpts;
        this.port = port;
        this.process = process;
        this.root = root;
        this.token = token;
    }

    static BenchService start(Path root, String module, Map<String, String> env) {
        int port = freePort();
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String javaOpts = javaOpts(module, env);
        command.addAll(List.of(javaOpts.split("\\s+")));
        command.add("--enable-native-access=ALL-UNNAMED");
        Path extra = root.resolve(module).resolve("jvm-flags.txt");
        try {
            if (Files.exists(extra)) {
                String graal =
                        root.resolve(module).resolve("target").resolve("graal").toString();
                for (String line : Files.readAllLines(extra)) {
                    String flag = line.strip();
                    if (!flag.isEmpty() && !flag.startsWith("#")) command.add(flag.replace("${GRAAL_DIR}", graal));
                }
            }
            command.addAll(List.of(
                    "-jar",
                    root.resolve(module)
                            .resolve("target")
                            .resolve(module + "-exec.jar")
                            .toString()));
            Path logs = root.resolve("bench/target/logs");
            Files.createDirectories(logs);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logs.resolve(module + ".log").toFile());
            builder.environment().putAll(env);
            builder.environment().put("PORT", String.valueOf(port));
            return new BenchService(module, port, builder.start(), root, env.get("SERVICE_TOKEN"), javaOpts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * As the launcher: {@code <NAME>_JAVA_OPTS} of the environment given ({@code PROCESSOR_JAVA_OPTS}, from {@code
     * --env}) when set, else {@code -Xmx} of {@link #HEAPS}.
     */
    static String javaOpts(String module, Map<String, String> env) {
        String name = module.replace("-service", "").replace('-', '_').toUpperCase(Locale.ROOT);
        String given = env.get(name + "_JAVA_OPTS");
        return given == null || given.isBlank() ? "-Xmx" + HEAPS.get(module) : given.strip();
    }

    BenchService awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive())
                throw new IllegalStateException(module + " exited: see bench/target/logs/" + module + ".log");
            try {
                if (get("/health").statusCode() == 200) return this;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(module + " not healthy after " + timeout);
    }

    /**
     * Throws when the process has exited. A service that failed to start may still look healthy: {@link #port} is
     * free when picked and bound later, so another process can take it first and answer {@code /health} (seen once:
     * a run reported every event refused, from a gateway that had exited with "port already in use").
     */
    void requireAlive() {
        if (!process.isAlive())
            throw new IllegalStateException(
                    module + " exited (code " + process.exitValue() + "): see bench/target/logs/" + module + ".log");
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of a Prometheus metric's series (any labels), or NaN when the service does not export it. */
    double metric(String name) {
        try {
            double sum = 0;
            boolean found = false;
            for (String line : get("/actuator/prometheus").body().split("\n")) {
                boolean labelled = name.endsWith("}")
                        ? line.startsWith(name.substring(0, name.length() - 1))
                        : line.startsWith(name + "{");
                if (line.startsWith(name + " ") || labelled) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                }
            }
            return found ? sum : Double.NaN;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Double.NaN;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    long pid() {
        return process.pid();
    }

    /** Resident set size now (kB), also kept as the peak seen. */
    long sampleRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    peakRssKb = Math.max(peakRssKb, kb);
                    return kb;
                }
            }
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
        return 0;
    }

    long peakRssKb() {
        return peakRssKb;
    }

    void jcmd(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid())));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("bench/target/logs/jcmd-" + module + ".log")
                        .toFile())
                .start();
        p.waitFor(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
