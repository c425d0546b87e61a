package dev.eventpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
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
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Starts the packaged service jar with exactly the JVM flags of {@code jvm-flags.txt} (what the run scripts use)
 * and fails unless GraalJS got the optimizing Graal JIT rather than the fallback interpreter.
 */
class JitRuntimeIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private Process service;

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null) {
            service.destroy();
            if (!service.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    @Test
    void thePackagedServiceStartedWithJvmFlagsTxtRunsTheOptimizingJit() throws Exception {
        String graalDir = Objects.requireNonNull(System.getProperty("graal.dir"), "graal.dir");
        String jar = Objects.requireNonNull(System.getProperty("service.jar"), "service.jar");
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String line : Files.readAllLines(Path.of("jvm-flags.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                command.add(line.strip().replace("${GRAAL_DIR}", graalDir));
            }
        }
        command.addAll(List.of("-jar", jar, "--server.port=" + port, "--transformer.sandbox.pool-size=1"));
        Path log = Path.of("target", "jit-runtime-it.log");
        service = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();

        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> health(port) != null);
        JsonNode health = health(port);
        assertThat(health.path("runtime").asString()).as("see " + log).isEqualTo("GraalVM CE");
        assertThat(health.path("optimizingJit").asBoolean()).isTrue();
        assertThat(Files.readString(log)).contains("GraalJS engine started: GraalVM CE");
    }

    private static JsonNode health(int port) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200
                    ? dev.eventpipe.model.json.Json.mapper().readTree(response.body())
                    : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
