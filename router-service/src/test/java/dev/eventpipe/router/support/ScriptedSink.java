package dev.eventpipe.router.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.eventpipe.model.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * A destination for tests: a JDK HttpServer on 127.0.0.1 that answers each event (keyed by the {@code messageId}
 * of its JSON body) from a script of responses, then 200. Paths under {@code /hang} never answer in time. A JSON
 * array body is a batch: each element is recorded as received (with the whole body), with the answer of the request, which comes
 * from the path's script ({@link #scriptPath}), else 200.
 */
public final class ScriptedSink implements AutoCloseable {
    public record Reply(int status, Map<String, String> headers, Duration delay) {
        public static Reply of(int status) {
            return new Reply(status, Map.of(), Duration.ZERO);
        }

        public static Reply of(int status, Map<String, String> headers) {
            return new Reply(status, headers, Duration.ZERO);
        }

        /** Answers 200, but only after {@code delay}. */
        public static Reply slow(Duration delay) {
            return new Reply(200, Map.of(), delay);
        }
    }

    public record Received(
            String messageId,
            String userId,
            int seq,
            String method,
            String path,
            String query,
            Map<String, List<String>> headers,
            String body,
            int status,
            Instant at,
            int request) {}

    private final HttpServer server;
    private final Map<String, Deque<Reply>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Deque<Reply>> pathScripts = new ConcurrentHashMap<>();
    private final Map<String, Integer> failEvery = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requestsTo = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger requestCount = new AtomicInteger();
    private final AtomicInteger arrivals = new AtomicInteger();
    private volatile Duration delay = Duration.ZERO;

    public ScriptedSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Replies for the next deliveries of one event, in order; afterwards it gets 200. */
    public void script(String messageId, Reply... replies) {
        scripts.put(messageId, new ArrayDeque<>(List.of(replies)));
    }

    /** Replies for the next requests to {@code path}, whatever they carry; afterwards the event scripts apply. */
    public void scriptPath(String path, Reply... replies) {
        pathScripts.put(path, new ArrayDeque<>(List.of(replies)));
    }

    /** Every {@code n}th request to {@code path} is answered 503 (after its script is used up). */
    public void failEveryNth(String path, int n) {
        failEvery.put(path, n);
    }

    /** Every request to {@code path} is answered 503 from now on, until {@link #heal}. */
    public void failAll(String path) {
        failEvery.put(path, 1);
    }

    /** Requests to {@code path} are answered from the event scripts again. */
    public void heal(String path) {
        failEvery.remove(path);
    }

    /** The event gets 503 until {@link #release} is called. */
    public void failUntilReleased(String messageId) {
        failing.add(messageId);
    }

    public void release(String messageId) {
        failing.remove(messageId);
    }

    /** Every answer waits this long first. */
    public void delay(Duration d) {
        delay = d;
    }

    /** One HTTP request the sink answered: how many events it carried and whether as a JSON array. */
    public record Request(String path, int events, boolean array, int status) {}

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> receivedFor(String messageId) {
        return received.stream().filter(r -> r.messageId().equals(messageId)).toList();
    }

    /** Requests that reached the sink, counted when they arrive (before any delay), answered or not. */
    public int arrivals() {
        return arrivals.get();
    }

    /** Deliveries answered with a 2xx. */
    public List<Received> delivered() {
        return received.stream().filter(r -> r.status() / 100 == 2).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            arrivals.incrementAndGet();
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            String body = new String(bytes, StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/hang")) sleep(Duration.ofSeconds(30));
            else if (!delay.isZero()) sleep(delay);
            JsonNode json = parse(body);
            List<JsonNode> events = json.isArray() ? List.copyOf(json.values()) : List.of(json);
            Reply reply = nextForPath(path);
            if (reply == null) {
                String messageId = json.path("messageId").asString("");
                reply = failing.contains(messageId) ? Reply.of(503) : next(messageId);
            }
            if (!reply.delay().isZero()) sleep(reply.delay());
            Instant at = Instant.now();
            int number = requestCount.incrementAndGet();
            for (JsonNode event : events)
                received.add(new Received(
                        event.path("messageId").asString(""),
                        event.path("userId").asString(""),
                        event.path("seq").asInt(-1),
                        exchange.getRequestMethod(),
                        path,
                        exchange.getRequestURI().getRawQuery() == null
                                ? ""
                                : exchange.getRequestURI().getRawQuery(),
                        Map.copyOf(exchange.getRequestHeaders()),
                        body,
                        reply.status(),
                        at,
                        number));
            requests.add(new Request(path, events.size(), json.isArray(), reply.status()));
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] answer = ("{\"status\":" + reply.status() + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private Reply nextForPath(String path) {
        Deque<Reply> script = pathScripts.get(path);
        Reply scripted = script == null ? null : script.pollFirst();
        if (scripted != null) return scripted;
        Integer every = failEvery.get(path);
        if (every == null) return null;
        int n = requestsTo.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        return n % every == 0 ? Reply.of(503) : Reply.of(200);
    }

    private Reply next(String messageId) {
        Deque<Reply> script = scripts.get(messageId);
        Reply r = script == null ? null : script.pollFirst();
        return r == null ? Reply.of(200) : r;
    }

    private static JsonNode parse(String body) {
        try {
            return Json.mapper().readTree(body.isEmpty() ? "{}" : body);
        } catch (RuntimeException e) {
            return Json.mapper().createObjectNode();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
