package dev.eventpipe.warehouse.storage;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Adobe's S3Mock, a real S3 API server, started from its executable jar (copied to target/s3mock by the build) as
 * its own process on free ports, with one bucket.
 */
final class S3MockServer implements AutoCloseable {
    final String endpoint;
    private final Process process;

    private S3MockServer(String endpoint, Process process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    static S3MockServer start(String bucket, Path root) throws IOException {
        Path jar = Path.of("target/s3mock/s3mock.jar");
        if (!Files.exists(jar)) throw new IllegalStateException(jar + " is missing: run through mvn verify");
        int http = freePort();
        int https = freePort();
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar.toString(),
                "--server.port=" + https,
                "--com.adobe.testing.s3mock.http-port=" + http,
                "--com.adobe.testing.s3mock.store.initial-buckets=" + bucket,
                "--com.adobe.testing.s3mock.store.root=" + root,
                "--spring.main.banner-mode=off");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(root.resolveSibling("s3mock.log").toFile())
                .start();
        String endpoint = "http://127.0.0.1:" + http;
        HttpClient client = HttpClient.newHttpClient();
        Awaitility.await("S3Mock up")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!process.isAlive()) throw new IllegalStateException("S3Mock exited: see s3mock.log");
                    try {
                        return client.send(
                                                HttpRequest.newBuilder(URI.create(endpoint + "/" + bucket))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
        return new S3MockServer(endpoint, process);
    }

    StorageSettings.S3 settings(String bucket, String prefix) {
        return new StorageSettings.S3(bucket, prefix, "us-east-1", endpoint, true, "any-key", "any-secret");
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

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
