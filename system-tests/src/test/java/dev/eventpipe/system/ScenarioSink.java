package dev.eventpipe.system;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.eventpipe.model.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A webhook destination on 127.0.0.1 whose behaviour a failure scenario scripts: answer 500 to each user's first
 * deliveries, refuse connections (the port closed) until told otherwise, answer 503 on a path until healed, 500 to a
 * share of requests at random, redirect a path to another, send the headers of each user's first delivery and then
 * stall the body, answer each user's first delivery 429 with a {@code Retry-After}. It records every event it
 * accepted (2xx) with the path and the time, so a test can check once, order and lag. A bodyless request (GET)
 * names its event in the query: {@code u} (user), {@code m} (messageId), {@code seq}.
 */
final class ScenarioSink implements AutoCloseable {
    /** One event accepted with a 2xx. */
    record Arrival(String path, String messageId, String userId, int seq, Instant receivedAt, Instant at) {}

    final List<Arrival> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger failed = new AtomicInteger();
    private final Map<String, AtomicInteger> attemptsPerUser = new ConcurrentHashMap<>();
    private final Set<String> failingPaths = ConcurrentHashMap.newKeySet();
    private final Map<String, Double> randomFailures = new ConcurrentHashMap<>();
    private final Map<String, Redirect> redirects = new ConcurrentHashMap<>();
    private final Map<String, Duration> stalling = new ConcurrentHashMap<>();
    private final Map<String, String> retryAfter = new ConcurrentHashMap<>();
    private final Set<String> firstSeen = ConcurrentHashMap.newKeySet();
    private final Random random = new Random(12);
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

    /** Each request to {@code path} is answered 500 with probability {@code rate} (a fixed seed). */
    void failAtRandom(String path, double rate) {
        randomFailures.put(path, rate);
    }

    /** Every request to {@code path} is answered {@code status} with {@code Location: target} (its query kept). */
    void redirect(String path, int status, String target) {
        redirects.put(path, new Redirect(status, target));
    }

    /**
     * Each user's first delivery to {@code path} is answered with headers (200, a body length) and then nothing for
     * {@code stall}, after which the connection is closed; it is not accepted.
     */
    void stallFirstPerUser(String path, Duration stall) {
        stalling.put(path, stall);
    }

    /** Each user's first delivery to {@code path} is answered 429 with {@code Retry-After: value}. */
    void retryAfterFirstPerUser(String path, String value) {
        retryAfter.put(path, value);
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
            Redirect redirect = redirects.get(path);
            if (redirect != null) {
                String query = exchange.getRequestURI().getRawQuery();
                exchange.getResponseHeaders().set("Location", redirect.target() + (query == null ? "" : "?" + query));
                exchange.sendResponseHeaders(redirect.status(), -1);
                return;
            }
            List<JsonNode> events = events(exchange, body);
            String user = events.getFirst().path("userId").asString();
            boolean first =
                    (stalling.containsKey(path) || retryAfter.containsKey(path)) && firstSeen.add(path + " " + user);
            if (first && stalling.containsKey(path)) {
                failed.incrementAndGet();
                stall(exchange, stalling.get(path));
                return;
            }
            if (first && retryAfter.containsKey(path)) {
                failed.incrementAndGet();
                exchange.getResponseHeaders().set("Retry-After", retryAfter.get(path));
                exchange.sendResponseHeaders(429, -1);
                return;
            }
            int status = 200;
            if (failingPaths.contains(path)) status = 503;
            else if (random.nextDouble() < randomFailures.getOrDefault(path, 0.0)) status = 500;
            else if (failFirstPerUser > 0) {
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

    /** The events of a request: its JSON body (one event or an array), or for a bodyless one its query. */
    private static List<JsonNode> events(HttpExchange exchange, byte[] body) {
        JsonNode json = body.length == 0 ? null : Json.mapper().readTree(body);
        if (json != null && !json.isEmpty()) return json.isArray() ? List.copyOf(json.values()) : List.of(json);
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0)
                query.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("userId", query.getOrDefault("u", ""));
        event.put("messageId", query.getOrDefault("m", ""));
        event.putObject("properties").put("seq", Integer.parseInt(query.getOrDefault("seq", "-1")));
        return List.of(event);
    }

    /** Headers now, then the promised body never comes: the peer a whole-exchange timeout is for. */
    private static void stall(HttpExchange exchange, Duration stall) {
        try {
            exchange.sendResponseHeaders(200, 100);
            exchange.getResponseBody().flush();
            Thread.sleep(stall);
        } catch (IOException | InterruptedException gone) {
            // the router gave up first: what the stall is for
        }
    }

    private record Redirect(int status, String target) {}

    @Override
    public synchronized void close() {
        server.stop(0);
    }
}
