package dev.eventpipe.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Debian's HAProxy in front of the gateways, as a separate process: round robin over up to {@value #SLOTS}
 * server slots that start disabled; {@link #enable} points a slot at a gateway and turns it on, {@link #disable}
 * drains it, both through HAProxy's runtime API (a unix socket), without a reload. A gateway that stops answering
 * {@code /health/live} is taken out by the health check; a connection that fails before the request was sent is
 * retried on another gateway (no retry of a request a gateway may have received: the client decides that).
 */
final class HaProxy implements AutoCloseable {
    static final int SLOTS = 4;
    final int port;
    private final Path socket;
    private final Process process;

    private HaProxy(int port, Path socket, Process process) {
        this.port = port;
        this.socket = socket;
        this.process = process;
    }

    static HaProxy start(Path dir) {
        int port = ServiceProcess.freePort();
        Path socket = dir.resolve("haproxy.sock");
        StringBuilder config = new StringBuilder("""
                global
                  stats socket %s mode 600 level admin
                  maxconn 4000
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 60s
                  timeout server 60s
                  retries 3
                  option redispatch
                  retry-on conn-failure
                frontend events
                  bind 127.0.0.1:%d
                  default_backend gateways
                backend gateways
                  balance roundrobin
                  option httpchk GET /health/live
                  http-check expect status 200
                  default-server inter 500ms fall 2 rise 1
                """.formatted(socket, port));
        for (int slot = 1; slot <= SLOTS; slot++) {
            config.append("  server gw").append(slot).append(" 127.0.0.1:1 check disabled\n");
        }
        try {
            Path file = dir.resolve("haproxy.cfg");
            Files.writeString(file, config);
            Path log = dir.resolve("haproxy.log");
            Process process = new ProcessBuilder("haproxy", "-db", "-f", file.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            HaProxy proxy = new HaProxy(port, socket, process);
            Awaitility.await("haproxy up").atMost(Duration.ofSeconds(30)).until(() -> {
                if (!process.isAlive()) throw new IllegalStateException("haproxy exited: " + Files.readString(log));
                return Files.exists(socket);
            });
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start haproxy (apt-get install haproxy)", e);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Points slot gw{slot} at the gateway and sends traffic to it once its health check passes. */
    void enable(int slot, ServiceProcess gateway) {
        command("set server gateways/gw" + slot + " addr 127.0.0.1 port " + gateway.port);
        command("enable server gateways/gw" + slot);
        Awaitility.await("gw" + slot + " up in haproxy")
                .atMost(Duration.ofSeconds(30))
                .until(() -> command("show servers state gateways")
                        .lines()
                        .anyMatch(l -> l.contains(" gw" + slot + " ") && l.split(" ")[5].equals("2")));
    }

    /** Sends no new requests to slot gw{slot}; requests in flight finish. */
    void disable(int slot) {
        command("disable server gateways/gw" + slot);
    }

    String command(String command) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            var answer = new java.io.ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("haproxy runtime API: " + command, e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
