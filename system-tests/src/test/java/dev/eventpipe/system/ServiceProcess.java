package dev.eventpipe.system;

import dev.eventpipe.model.json.Json;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** One service started from its exec jar as a separate JVM, as in production; its output goes to target/. */
final class ServiceProcess implements AutoCloseable {
    private static final Path ROOT =
            Path.of(System.getProperty("eventpipe.root", "..")).toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The services' token: the one this JVM's clients send (see ServiceToken.fromEnvironment). */
    static final String SERVICE_TOKEN = serviceToken();

    private static int started;

    final String module;
    final int port;
    private final Process process;

    private ServiceProcess(String module, int port, Process process) {
        this.module = module;
        this.port = port;
        this.process = process;
    }

    static ServiceProcess start(String module, Map<String, String> env) {
        int port = freePort();
        Path jar = ROOT.resolve(module).resolve("target").resolve(module + "-exec.jar");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:+UseSerialGC"));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Path logs = ROOT.resolve("system-tests/target/service-logs");
            Files.createDirectories(logs);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(
                            logs.resolve(module + "-" + (++started) + ".log").toFile());
            builder.environment().putAll(env);
            builder.environment().put("PORT", String.valueOf(port));
            // the services answer only callers with the installation's token; this JVM's clients send the same one
            builder.environment().putIfAbsent("SERVICE_TOKEN", SERVICE_TOKEN);
            return new ServiceProcess(module, port, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ServiceProcess awaitHealthy() {
        return awaitHealthy(
                Duration.ofMinutes(10)); // a machine busy with other builds starts a JVM slowly (5 min seen)
    }

    ServiceProcess awaitHealthy(Duration atMost) {
        Awaitility.await(module + " healthy")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    if (!process.isAlive()) throw new IllegalStateException(module + " exited: see service-logs");
                    try {
                        var request = HttpRequest.newBuilder(URI.create(url("/health")))
                                .build();
                        return HTTP.send(request, HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** A router's partitions as its {@code /health} reports them; 0 when it does not answer (dead or starting). */
    int ownedPartitions() {
        try {
            HttpResponse<String> health = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url("/health"))).build(), HttpResponse.BodyHandlers.ofString());
            return Json.mapper().readTree(health.body()).path("ownedPartitions").asInt();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** kill -9: no shutdown hook, no graceful stop. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the service shuts down gracefully (see {@link #stop}). */
    void terminate() {
        process.destroy();
    }

    /**
     * SIGTERM, then waits up to {@code atMost} for the graceful shutdown to finish; true if the process ended by
     * itself (else it is killed, and the caller learns that its shutdown was not graceful).
     */
    boolean stop(Duration atMost) throws InterruptedException {
        process.destroy();
        if (process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) return true;
        process.destroyForcibly();
        return false;
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

    private static String serviceToken() {
        String token = System.getProperty("SERVICE_TOKEN", System.getenv("SERVICE_TOKEN"));
        if (token == null || token.isBlank()) {
            token = "system-tests-service-token";
            System.setProperty("SERVICE_TOKEN", token);
        }
        return token;
    }
}
