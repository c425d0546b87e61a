package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.sandbox.SandboxUnavailable;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One child JVM that runs one transformation version: started with its own heap on a loopback port it picks itself
 * (written to a port file once it serves), answering only the service token. Its stdin is a pipe from this process:
 * when this process ends, however it ends, the pipe closes and the child exits ({@code ParentWatch}). The counters
 * are guarded by the owning {@link VersionProcesses}.
 */
final class VersionProcess {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final String version;
    private final Process process;
    private final Path portFile;
    private final String authorization;
    final long startedNanos = System.nanoTime();
    private volatile int port;
    // guarded by the owning VersionProcesses
    int inFlight;
    long lastUsedNanos = System.nanoTime();
    boolean failureCounted;
    /** Its slot goes to a version waiting for one: it takes no more calls and ends after those in flight. */
    boolean draining;

    private VersionProcess(String version, Process process, Path portFile, String authorization) {
        this.version = version;
        this.process = process;
        this.portFile = portFile;
        this.authorization = authorization;
    }

    static VersionProcess start(
            String version,
            ChildCommand command,
            IsolationProperties settings,
            Map<String, String> properties,
            Map<String, String> environment,
            String authorization) {
        try {
            // in a directory only this user can enter: no one else can plant a port for our token to go to
            Path portFile = Files.createTempDirectory("transformer-child-").resolve("port");
            Map<String, String> own = new java.util.LinkedHashMap<>(properties);
            own.put("transformer.isolation.version", IsolationProperties.encode(version));
            own.put("transformer.isolation.port-file", portFile.toString());
            ProcessBuilder builder = new ProcessBuilder(command.command(settings.heap(), own))
                    .redirectErrorStream(true); // stdin stays a pipe: the child's tie to us
            // a scrubbed environment: no JAVA_TOOL_OPTIONS & co. bring back the flags ChildCommand dropped
            builder.environment().clear();
            builder.environment().putAll(command.environment());
            builder.environment().putAll(environment);
            Process process = builder.start();
            copyOutput(process);
            return new VersionProcess(version, process, portFile, authorization);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a transformer process for version " + version, e);
        }
    }

    /**
     * The child's log lines go to this process's standard output, as they are (JSON lines in a container), through
     * this JVM's {@code System.out}, so whoever reads that (a container runtime, the launcher, a test runner) sees
     * them as this process's.
     */
    private static void copyOutput(Process process) {
        Thread.ofVirtual().name("child-output-" + process.pid()).start(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    System.out.println(line);
                }
            } catch (IOException ended) {
                // the child is gone
            }
        });
    }

    /** Waits until the child serves; throws {@link SandboxUnavailable} (retry) if it dies or is not up in time. */
    void awaitReady(long requestDeadlineNanos, Duration startTimeout) {
        long startDeadline = startedNanos + startTimeout.toNanos();
        long deadlineNanos = startDeadline - requestDeadlineNanos < 0 ? startDeadline : requestDeadlineNanos;
        while (port == 0) {
            if (!process.isAlive()) {
                throw new SandboxUnavailable("the transformer process for this transformation ended while starting"
                        + " (exit " + process.exitValue() + "); retry");
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new SandboxUnavailable(
                        "the transformer process for this transformation did not start in time;" + " retry");
            }
            readPort();
            if (port == 0) {
                sleep(50);
            }
        }
    }

    private void readPort() {
        try {
            String text = Files.exists(portFile) ? Files.readString(portFile).strip() : "";
            if (!text.isEmpty()) {
                port = Integer.parseInt(text);
            }
        } catch (IOException | NumberFormatException notYet) {
            // written by a rename, so a partial read is unlikely; read again on the next turn
        }
    }

    /**
     * POSTs {@code body} to the child's route, with {@code timeout} as the call's deadline in the child too; null when
     * the child died during the call.
     */
    @Nullable
    HttpResponse<String> post(String path, byte[] body, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .header(VersionProcesses.DEADLINE_HEADER, String.valueOf(timeout.toMillis()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (diedWithin(Duration.ofSeconds(2))) {
                return null;
            }
            throw new SandboxUnavailable("the transformer process for this transformation did not answer ("
                    + e.getClass().getSimpleName() + "); retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxUnavailable("interrupted while waiting for a transformer process; retry");
        }
    }

    private boolean diedWithin(Duration wait) {
        try {
            return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    /** Not serving yet, and past the time it had to start. */
    boolean startOverdue(Duration startTimeout) {
        if (port == 0) {
            readPort();
        }
        return port == 0 && System.nanoTime() - startedNanos > startTimeout.toNanos();
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * How an ended child ended: its exit status, and for 137 (SIGKILL) who sends that: the kernel's out-of-memory
     * killer (for the container's total) or an operator.
     */
    String howItEnded() {
        if (process.isAlive()) {
            return "still running";
        }
        int status = process.exitValue();
        return status == 137
                ? "killed with SIGKILL, exit 137: the kernel's out-of-memory killer or an operator"
                : "exit " + status;
    }

    /** Its temp dir (the port file's), removed by {@link #stop}. */
    Path directory() {
        return portFile.getParent();
    }

    long pid() {
        return process.pid();
    }

    /** Ends the child: SIGTERM, then SIGKILL after a few seconds. */
    void stop() {
        process.destroy();
        if (!diedWithin(Duration.ofSeconds(5))) {
            process.destroyForcibly();
            diedWithin(Duration.ofSeconds(5)); // gone once this returns: its slot is free
        }
        try {
            Files.deleteIfExists(portFile);
            Files.deleteIfExists(portFile.resolveSibling("port.partial"));
            Files.deleteIfExists(portFile.getParent());
        } catch (IOException ignored) {
            // a stale temp file of a few bytes
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxUnavailable("interrupted while a transformer process started; retry");
        }
    }

    @Override
    public String toString() {
        return "VersionProcess[" + version + ", pid " + process.pid() + "]";
    }
}
