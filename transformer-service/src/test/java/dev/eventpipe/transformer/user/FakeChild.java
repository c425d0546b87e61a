package dev.eventpipe.transformer.user;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.TreeSet;

/**
 * A child JVM that cannot serve a version (tests of {@link VersionProcesses}): it serves on the port file's port, as a
 * transformer child does, and answers every call 500 with the deadline header it got, its JVM flags, the names of
 * its environment variables and its {@code fake.*} system properties. With {@code
 * -Dfake.slow-exit=true} it ignores SIGTERM (its shutdown hook never ends), so it is gone only after the parent's
 * SIGKILL. A version named {@code never-ready…} never serves (nor writes its port); one named {@code slow-…} answers
 * after 3 s; one named {@code retry-…} answers 503, as a
 * real child does when its sandbox stopped the call for the deadline. It exits when its stdin, the pipe from its parent, closes.
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
        String version = new String(
                HexFormat.of().parseHex(System.getProperty("transformer.isolation.version", "")),
                StandardCharsets.UTF_8);
        if (version.startsWith("never-ready")) { // never serves: the parent's wait for its start runs out
            while (System.in.read() >= 0) {
                // the parent's pipe: read until it closes
            }
            System.exit(0);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (version.startsWith("slow-")) { // holds its slot a while
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String deadline = exchange.getRequestHeaders().getFirst("X-Eventpipe-Deadline-Ms");
            String detail = "cannot serve (deadline header " + deadline + ") flags "
                    + ManagementFactory.getRuntimeMXBean().getInputArguments() + " environment "
                    + new TreeSet<>(System.getenv().keySet()) + " properties " + fakeProperties();
            byte[] body = ("{\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            // a child's own "retry" (its sandbox stopped the call: the deadline passed, it is overloaded)
            exchange.sendResponseHeaders(version.startsWith("retry-") ? 503 : 500, body.length);
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

    /** The system properties named {@code fake.*} other than its own switch (a test's would-be leaks). */
    private static String fakeProperties() {
        return new TreeSet<>(System.getProperties().stringPropertyNames())
                .stream()
                        .filter(name -> name.startsWith("fake.") && !name.equals("fake.slow-exit"))
                        .toList()
                        .toString();
    }
}
