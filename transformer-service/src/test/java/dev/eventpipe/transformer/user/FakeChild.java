package dev.eventpipe.transformer.user;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A child JVM that cannot serve a version (tests of {@link VersionProcesses}): it serves on the port file's port, as a
 * transformer child does, and answers every call 500 with the deadline header it got. With {@code
 * -Dfake.slow-exit=true} it ignores SIGTERM (its shutdown hook never ends), so it is gone only after the parent's
 * SIGKILL. It exits when its stdin, the pipe from its parent, closes.
 */
public final class FakeChild {
    private FakeChild() {}

    public static void main(String[] args) throws IOException {
        if (Boolean.getBoolean("fake.slow-exit")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread.sleep(600_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String deadline = exchange.getRequestHeaders().getFirst("X-Eventpipe-Deadline-Ms");
            byte[] body = ("{\"detail\":\"cannot serve (deadline header " + deadline + ")\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(500, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        Path portFile = Path.of(System.getProperty("transformer.isolation.port-file"));
        Path partial = portFile.resolveSibling("port.partial");
        Files.writeString(partial, String.valueOf(server.getAddress().getPort()));
        Files.move(partial, portFile, StandardCopyOption.ATOMIC_MOVE);
        while (System.in.read() >= 0) {
            // the parent's pipe: read until it closes
        }
        System.exit(0);
    }
}
