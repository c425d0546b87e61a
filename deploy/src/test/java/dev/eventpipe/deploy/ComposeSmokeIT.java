package dev.eventpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.rudderstack.sdk.java.analytics.Callback;
import com.rudderstack.sdk.java.analytics.RudderAnalytics;
import com.rudderstack.sdk.java.analytics.messages.Message;
import com.rudderstack.sdk.java.analytics.messages.TrackMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * docker-compose.yml as a new user runs it: the images the build made, an .env written by deploy/generate-env.sh,
 * {@code docker-compose up} (v1, the one Debian ships; the file is also valid for v2), then events sent with
 * RudderStack's Java SDK to the published gateway reach a webhook sink container through the processor, the
 * transformer and the router, once each and in per-user order; the web app reaches the data plane's APIs; only the
 * gateway and the web app are published; {@code down -v} removes everything, volumes included.
 *
 * <p>Part of {@code ./mvnw verify} when {@code /var/run/docker.sock} exists (then the build made the images: Maven
 * profile {@code docker}); without it the test is skipped, saying why. A socket whose engine does not answer, or a
 * missing {@code docker-compose}, fails it. It prints how long each container took to become healthy and the
 * machine's load average, so a slow run on a busy machine reads as such.
 */
class ComposeSmokeIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT = "epsmoke" + ProcessHandle.current().pid();
    private static final int USERS = 10;
    private static final int EVENTS_PER_USER = 30;

    @TempDir
    static Path dir;

    static Path envFile;
    static Map<String, String> env;
    static int gatewayPort;
    static int webPort;
    static int sinkPort;
    static long upStarted;
    static final Map<String, Double> healthyAfter = new ConcurrentHashMap<>();

    @BeforeAll
    static void up() throws Exception {
        Assumptions.assumeTrue(
                Files.exists(Path.of("/var/run/docker.sock")),
                "ComposeSmokeIT skipped: no Docker engine (/var/run/docker.sock is missing, so the build made no images);"
                        + " bash deploy/docker/setup-docker-offline.sh starts one (CI's .ci/run does)");
        // a socket whose engine does not answer, or no docker-compose: fail, loudly (run throws with the output)
        System.out.println("compose smoke: Docker engine "
                + run(List.of("docker", "version", "--format", "{{.Server.Version}}"), Duration.ofMinutes(1))
                        .strip()
                + ", "
                + run(List.of("docker-compose", "version", "--short"), Duration.ofMinutes(1))
                        .strip()
                + ", load average " + loadAverage());
        envFile = dir.resolve(".env");
        run(List.of("bash", "deploy/generate-env.sh", envFile.toString()), Duration.ofSeconds(30));
        gatewayPort = freePort();
        webPort = freePort();
        sinkPort = freePort();
        Files.writeString(
                envFile,
                String.join(
                        "\n",
                        "GATEWAY_PORT=" + gatewayPort,
                        "WEB_PORT=" + webPort,
                        "SINK_PORT=" + sinkPort,
                        "EGRESS_ALLOW=sink:8080",
                        "EVENTPIPE_REGISTRY=" + System.getProperty("images.registry", "localhost/eventpipe"),
                        "EVENTPIPE_VERSION=" + Repo.projectVersion(),
                        ""),
                java.nio.file.StandardOpenOption.APPEND);
        env = readEnv(envFile);
        upStarted = System.nanoTime();
        // compose v1 starts each service once what it depends on is healthy, so this returns when the last one started
        compose(Duration.ofMinutes(20), "up", "-d");
        System.out.printf("compose smoke: up -d returned after %.0f s (load average %s)%n", sinceUp(), loadAverage());
    }

    @AfterAll
    static void down() throws Exception {
        if (envFile == null) return;
        try {
            Path logs = Repo.ROOT.resolve("deploy/target/compose-logs.txt");
            Files.createDirectories(logs.getParent());
            Files.writeString(logs, compose(Duration.ofMinutes(3), "logs", "--no-color"));
            System.out.println("compose smoke: containers (restarts, OOM-killed):\n" + restarts());
        } finally {
            compose(Duration.ofMinutes(3), "down", "-v", "--remove-orphans");
        }
        String volumes =
                run(List.of("docker", "volume", "ls", "-q", "--filter", "name=" + PROJECT), Duration.ofMinutes(2));
        assertThat(volumes.strip()).as("down -v removes the data volume").isEmpty();
    }

    @Test
    void eventsSentWithTheSdkReachTheSinkContainerOnceEachInPerUserOrder() throws Exception {
        awaitHealthy("gateway", "processor", "router", "transformer", "config-backend", "warehouse", "postgres");
        String token = login();
        String workspace = get("/api/v1/workspaces", token).get(0).path("id").asString();
        String source = get("/api/v1/workspaces/" + workspace + "/sources", token)
                .get(0)
                .path("id")
                .asString();
        String destination = post(
                        "/api/v1/workspaces/" + workspace + "/destinations",
                        token,
                        Map.of(
                                "name", "sink",
                                "type", "WEBHOOK",
                                "config", Map.of("webhookUrl", "http://sink:8080/hook", "webhookMethod", "POST")))
                .path("id")
                .asString();
        post(
                "/api/v1/workspaces/" + workspace + "/connections",
                token,
                Map.of("sourceId", source, "destinationId", destination));

        Map<String, Message> acknowledged = new ConcurrentHashMap<>();
        Map<String, Throwable> failed = new ConcurrentHashMap<>();
        RudderAnalytics sdk = RudderAnalytics.builder(env.get("DEMO_WRITE_KEY"))
                .setDataPlaneUrl("http://127.0.0.1:" + gatewayPort)
                .flushQueueSize(50)
                .flushInterval(1, TimeUnit.SECONDS)
                .callback(new Callback() {
                    @Override
                    public void success(Message message) {
                        acknowledged.put(message.messageId(), message);
                    }

                    @Override
                    public void failure(Message message, Throwable error) {
                        failed.put(message.messageId(), error);
                    }
                })
                .build();
        try {
            // the data plane reads the new connection on its next config poll: probe until the sink sees one event
            Awaitility.await("the connection reaches the data plane")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> {
                        sdk.enqueue(TrackMessage.builder("Probe").userId("probe"));
                        sdk.flush();
                        return !received().isEmpty();
                    });
            for (int seq = 0; seq < EVENTS_PER_USER; seq++) {
                for (int user = 0; user < USERS; user++) {
                    sdk.enqueue(
                            TrackMessage.builder("Step").userId("user-" + user).properties(Map.of("seq", seq)));
                }
            }
            sdk.flush();
            Awaitility.await("every event acknowledged")
                    .atMost(Duration.ofMinutes(2))
                    .until(() -> acknowledged.values().stream()
                                            .filter(m -> m instanceof TrackMessage t
                                                    && t.event().equals("Step"))
                                            .count()
                                    + failed.size()
                            >= USERS * EVENTS_PER_USER);
        } finally {
            sdk.shutdown();
        }
        assertThat(failed).isEmpty();
        Set<String> stepIds = new HashSet<>();
        acknowledged.values().forEach(m -> {
            if (m instanceof TrackMessage t && t.event().equals("Step")) stepIds.add(m.messageId());
        });
        assertThat(stepIds).hasSize(USERS * EVENTS_PER_USER);

        long sent = System.nanoTime();
        try {
            Awaitility.await("every acknowledged event delivered to the sink")
                    .atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> steps(received()).size() >= stepIds.size());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    steps(received()).size() + " of " + stepIds.size()
                            + " events delivered in 10 minutes (load average " + loadAverage() + "); containers:\n"
                            + status() + restarts(),
                    e);
        }
        System.out.printf(
                "compose smoke: %d events delivered %.1f s after the last was acknowledged (load average %s)%n",
                stepIds.size(), (System.nanoTime() - sent) / 1e9, loadAverage());
        List<JsonNode> steps = steps(received());
        Map<String, List<Integer>> sequences = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode event : steps) {
            assertThat(seen.add(event.path("messageId").asString()))
                    .as("delivered once: " + event.path("messageId"))
                    .isTrue();
            sequences
                    .computeIfAbsent(event.path("userId").asString(), u -> new ArrayList<>())
                    .add(event.path("properties").path("seq").asInt());
        }
        assertThat(seen).isEqualTo(stepIds);
        for (int user = 0; user < USERS; user++) {
            assertThat(sequences.get("user-" + user))
                    .as("user-" + user + " in order")
                    .isSorted()
                    .hasSize(EVENTS_PER_USER);
        }

        // the web app's data-plane screens reach the processor and the router through the relay (P1-2)
        assertThat(getStatus(
                        "/api/v1/dataplane/processor/api/v1/events/recent?limit=5&workspaceId=" + workspace, token))
                .isEqualTo(200);
        assertThat(getStatus("/api/v1/dataplane/router/api/v1/jobs/recent?limit=5&workspaceId=" + workspace, token))
                .isEqualTo(200);

        // no service crashed or was killed for memory on the way (restart: unless-stopped would hide it)
        assertThat(restarts().lines().filter(l -> !l.endsWith(" 0 false")))
                .as("containers that restarted or were OOM-killed")
                .isEmpty();
    }

    @Test
    void onlyTheGatewayAndTheWebAppArePublishedAndOnlyOnLoopback() throws Exception {
        String ports = run(
                List.of(
                        "docker",
                        "ps",
                        "--filter",
                        "label=com.docker.compose.project=" + PROJECT,
                        "--format",
                        "{{.Label \"com.docker.compose.service\"}} {{.Ports}}"),
                Duration.ofMinutes(2));
        Map<String, String> published = new HashMap<>();
        for (String line : ports.strip().lines().toList()) {
            String[] parts = line.split(" ", 2);
            if (parts.length == 2 && parts[1].contains("->")) published.put(parts[0], parts[1]);
        }
        assertThat(published.keySet()).containsExactlyInAnyOrder("gateway", "config-backend", "sink");
        assertThat(published.values()).allMatch(p -> p.startsWith("127.0.0.1:") && !p.contains("0.0.0.0"));
    }

    @Test
    void theImagesRunAsANonRootUserWithAHealthCheckAndTheTransformerRunsTheOptimizingJit() throws Exception {
        for (String module : Repo.services()) {
            String image = System.getProperty("images.registry", "localhost/eventpipe") + "/" + module + ":"
                    + Repo.projectVersion();
            String inspect = run(
                    List.of(
                            "docker",
                            "image",
                            "inspect",
                            "--format",
                            "{{.Config.User}}|{{json .Config.Healthcheck.Test}}|{{index .Config.Labels"
                                    + " \"org.opencontainers.image.version\"}}",
                            image),
                    Duration.ofMinutes(2));
            assertThat(inspect.strip()).isEqualTo("10001:10001|[\"CMD\",\"healthcheck.sh\"]|" + Repo.projectVersion());
        }
        awaitHealthy("transformer");
        String health = compose(
                Duration.ofMinutes(3),
                "exec",
                "-T",
                "transformer",
                "bash",
                "-c",
                "exec 3<>/dev/tcp/127.0.0.1/9090; printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3");
        assertThat(health).contains("\"optimizingJit\":true");
    }

    /**
     * Waits until the services' containers are healthy, noting when each first was (printed once all are); on a
     * timeout the failure shows every container's status and the load average.
     */
    private static void awaitHealthy(String... services) throws Exception {
        try {
            Awaitility.await("healthy: " + String.join(", ", services))
                    .atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        Set<String> healthy = new HashSet<>();
                        for (String line : status().strip().lines().toList()) {
                            if (line.endsWith("(healthy)")) {
                                String service = line.substring(0, line.indexOf(' '));
                                healthy.add(service);
                                healthyAfter.putIfAbsent(service, sinceUp());
                            }
                        }
                        return healthy.containsAll(List.of(services));
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "not healthy after 10 minutes (load average " + loadAverage() + "):\n" + status() + restarts(), e);
        }
        StringBuilder after = new StringBuilder();
        new java.util.TreeMap<>(healthyAfter)
                .forEach((service, seconds) -> after.append(String.format(" %s %.0f s,", service, seconds)));
        System.out.println("compose smoke: healthy after `up -d` began:" + after + " load average " + loadAverage());
    }

    /** One line per container of the project: compose service, then docker's status (with the health). */
    private static String status() throws Exception {
        return run(
                List.of(
                        "docker",
                        "ps",
                        "-a",
                        "--filter",
                        "label=com.docker.compose.project=" + PROJECT,
                        "--format",
                        "{{.Label \"com.docker.compose.service\"}} {{.Status}}"),
                Duration.ofMinutes(2));
    }

    /** One line per container of the project: its name, restart count and whether the kernel killed it for memory. */
    private static String restarts() throws Exception {
        String ids = run(
                List.of("docker", "ps", "-aq", "--filter", "label=com.docker.compose.project=" + PROJECT),
                Duration.ofMinutes(2));
        if (ids.isBlank()) return "";
        List<String> command = new ArrayList<>(
                List.of("docker", "inspect", "--format", "{{.Name}} {{.RestartCount}} {{.State.OOMKilled}}"));
        command.addAll(ids.strip().lines().toList());
        return run(command, Duration.ofMinutes(2));
    }

    private static double sinceUp() {
        return (System.nanoTime() - upStarted) / 1e9;
    }

    private static String loadAverage() {
        try {
            return String.join(
                    " ",
                    List.of(Files.readString(Path.of("/proc/loadavg")).split(" "))
                            .subList(0, 3));
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static List<JsonNode> received() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sinkPort + "/received"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        List<JsonNode> events = new ArrayList<>();
        JSON.readTree(response.body()).forEach(events::add);
        return events;
    }

    private static List<JsonNode> steps(List<JsonNode> events) {
        return events.stream()
                .filter(e -> e.path("event").asString().equals("Step"))
                .toList();
    }

    private static String login() throws Exception {
        return post(
                        "/api/v1/auth/login",
                        null,
                        Map.of("email", env.get("ADMIN_EMAIL"), "password", env.get("ADMIN_PASSWORD")))
                .path("token")
                .asString();
    }

    private static JsonNode get(String path, String token) throws Exception {
        HttpResponse<String> response = HTTP.send(web(path, token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static int getStatus(String path, String token) throws Exception {
        return HTTP.send(web(path, token).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static JsonNode post(String path, String token, Object body) throws Exception {
        HttpResponse<String> response = HTTP.send(
                web(path, token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " " + response.body()).isBetween(200, 201);
        return JSON.readTree(response.body());
    }

    private static HttpRequest.Builder web(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) builder.header("Authorization", "Bearer " + token);
        return builder;
    }

    static String compose(Duration timeout, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "docker-compose",
                "-p",
                PROJECT,
                "--env-file",
                envFile.toString(),
                "-f",
                "docker-compose.yml",
                "-f",
                "deploy/compose/smoke-test.yml"));
        command.addAll(List.of(args));
        return run(command, timeout);
    }

    static String run(List<String> command, Duration timeout) throws Exception {
        Path output = Files.createTempFile("compose", ".out");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(Repo.ROOT.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                        + Files.readString(output));
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + out);
            }
            return out;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) out.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
