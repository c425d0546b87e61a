package dev.eventpipe.system;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.eventpipe.model.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * A webhook destination on 127.0.0.1 whose behaviour a failure scenario scripts: answer 500 to each user's first
 * deliveries, refuse connections (the port closed) until told otherwise, answer 503 on a path until healed. It
 * records every event it accepted (2xx) with the path and the time, so a test can check once, order and lag.
 */
final class ScenarioSink implements AutoCloseable {
    /** One event accepted with a 2xx. */
    record Arrival(String path, String messageId, String userId, int seq, Instant receivedAt, Instant at) {}

    final List<Arrival> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger failed = new AtomicInteger();
    private final Map<String, AtomicInteger> attemptsPerUser = new ConcurrentHashMap<>();
    private final Set<String> failingPaths = ConcurrentHashMap.newKeySet();
    private final int port;
    private volatile int failFirstPerUser;
    private volatile HttpServer server;

    ScenarioSink() {
        server = open(0);
        port = server.getAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Each user's first {@code n} deliveries to each path are answered 500. */
    void failFirstPerUser(int n) {
        failFirstPerUser = n;
    }

    /** Requests to {@code path} are answered 503 until {@link #heal}. */
    void fail(String path) {
        failingPaths.add(path);
    }

    void heal(String path) {
        failingPaths.remove(path);
    }

    /** Closes the port: deliveries meet "connection refused" until {@link #accept}. */
    synchronized void refuse() {
        server.stop(0);
    }

    synchronized void accept() {
        server = open(port);
    }

    List<Arrival> acceptedOn(String path) {
        return accepted.stream().filter(a -> a.path().equals(path)).toList();
    }

    private HttpServer open(int onPort) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
            s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            s.createContext("/", this::handle);
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            JsonNode json = Json.mapper().readTree(body);
            List<JsonNode> events = json.isArray() ? List.copyOf(json.values()) : List.of(json);
            int status = 200;
            if (failingPaths.contains(path)) status = 503;
            else if (failFirstPerUser > 0) {
                String user = events.getFirst().path("userId").asString();
                int attempt = attemptsPerUser
                        .computeIfAbsent(path + " " + user, u -> new AtomicInteger())
                        .incrementAndGet();
                if (attempt <= failFirstPerUser) status = 500;
            }
            if (status == 200) {
                Instant now = Instant.now();
                for (JsonNode e : events)
                    accepted.add(new Arrival(
                            path,
                            e.path("messageId").asString(),
                            e.path("userId").asString(),
                            e.path("properties").path("seq").asInt(),
                            Instant.parse(e.path("receivedAt").asString(now.toString())),
                            now));
            } else failed.incrementAndGet();
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public synchronized void close() {
        server.stop(0);
    }
}
