package dev.eventpipe.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The service child processes: started with the built jars, their output prefixed with the service name. */
final class Services {
    private final Path root;
    private final Map<Service, Process> running = new EnumMap<>(Service.class);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Services(Path root) {
        this.root = root;
    }

    synchronized void start(Service service, Map<String, String> env) {
        Path jar = root.resolve(service.module).resolve("target").resolve(service.module + "-exec.jar");
        if (!Files.exists(jar))
            throw new IllegalStateException(jar + " is missing: build with ./mvnw -DskipTests package");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags(root, service, System.getenv()));
        command.add("-jar");
        command.add(jar.toString());
        System.out.println("[launcher] starting " + service.module + " with "
                + String.join(" ", javaOpts(service, System.getenv())) + " (" + service.javaOptsVariable() + ")");
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            running.put(service, process);
            pipe(service, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + service.module, e);
        }
    }

    /**
     * A service's JVM flags: its heap ({@link Service#heap} as {@code -Xmx}, or the words of {@code
     * <NAME>_JAVA_OPTS} instead when that is set and not blank, as a container's {@code JAVA_OPTS} replaces the
     * image's), then native access for every service, then the module's {@code jvm-flags.txt} (the transformer's
     * flags that turn on the Graal JIT).
     */
    static List<String> jvmFlags(Path root, Service service, Map<String, String> environment) {
        List<String> flags = new ArrayList<>(javaOpts(service, environment));
        flags.add("--enable-native-access=ALL-UNNAMED");
        Path extra = root.resolve(service.module).resolve("jvm-flags.txt");
        if (Files.exists(extra)) {
            String graalDir = root.resolve(service.module)
                    .resolve("target")
                    .resolve("graal")
                    .toString();
            try {
                for (String line : Files.readAllLines(extra)) {
                    String flag = line.strip();
                    if (!flag.isEmpty() && !flag.startsWith("#")) flags.add(flag.replace("${GRAAL_DIR}", graalDir));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return flags;
    }

    /** The service's heap options: {@code <NAME>_JAVA_OPTS} split on white space, else {@code -Xmx<heap>}. */
    static List<String> javaOpts(Service service, Map<String, String> environment) {
        String given = environment.get(service.javaOptsVariable());
        if (given == null || given.isBlank()) return List.of("-Xmx" + service.heap);
        return List.of(given.strip().split("\\s+"));
    }

    private static void pipe(Service service, Process process) {
        String prefix = "[" + service.shortName() + "] ";
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) System.out.println(prefix + line);
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    /** How long a service may take to answer /health: LAUNCHER_START_TIMEOUT_SECONDS, default 180. */
    static Duration startTimeout() {
        String given = System.getenv("LAUNCHER_START_TIMEOUT_SECONDS");
        return Duration.ofSeconds(given == null || given.isBlank() ? 180 : Long.parseLong(given.trim()));
    }

    void awaitHealthy(Service service) throws InterruptedException {
        Duration timeout = startTimeout();
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port + "/health"))
                .timeout(Duration.ofSeconds(2))
                .build();
        while (Instant.now().isBefore(deadline)) {
            Process process = running.get(service);
            if (!process.isAlive()) {
                throw new IllegalStateException(service.module + " exited with " + process.exitValue());
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() < 500) {
                    System.out.println("[launcher] " + service.module + " is up on :" + service.port);
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(service.module + " did not become healthy within " + timeout.toSeconds()
                + " s (LAUNCHER_START_TIMEOUT_SECONDS)");
    }

    void awaitAnyExit() {
        CompletableFuture<?>[] exits =
                running.values().stream().map(Process::onExit).toArray(CompletableFuture[]::new);
        Process first = (Process) CompletableFuture.anyOf(exits).join();
        running.forEach((s, p) -> {
            if (p == first) System.err.println("[launcher] " + s.module + " exited with " + p.exitValue());
        });
    }

    synchronized void stopAll() {
        List<Service> reverse = new ArrayList<>(running.keySet());
        java.util.Collections.reverse(reverse);
        for (Service s : reverse) running.get(s).destroy();
        for (Service s : reverse) {
            try {
                if (!running.get(s).waitFor(20, TimeUnit.SECONDS))
                    running.get(s).destroyForcibly();
            } catch (InterruptedException e) {
                running.get(s).destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
