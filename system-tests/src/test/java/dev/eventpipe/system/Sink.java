package dev.eventpipe.system;

import com.sun.net.httpserver.HttpServer;
import dev.eventpipe.model.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A destination on 127.0.0.1 that records what it accepted. While {@link #failNext} is positive it answers 500,
 * one request at a time, so retries and the per-user barrier can be watched. A JSON array body is a batch: each
 * element is recorded, and {@link #requests} counts the requests accepted. A {@link #script} may answer an event
 * otherwise (any status and body, counted in {@link #rejected} unless 2xx); a body that is not JSON is kept in
 * {@link #unparseable} and answered 400.
 */
final class Sink implements AutoCloseable {
    final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger rejected = new AtomicInteger();
    final AtomicInteger failNext = new AtomicInteger();
    final List<Integer> requests = new CopyOnWriteArrayList<>();
    final List<byte[]> unparseable = new CopyOnWriteArrayList<>();
    /** How to answer a request (its body, parsed); null or a null answer: 200. */
    volatile @Nullable Function<JsonNode, @Nullable Reply> script;
    /**
     * When set, each accepted event goes to it instead of {@link #accepted}, and {@link #requests} is not kept: a
     * run of a million events cannot keep every body (nor copy an ever longer list on every request).
     */
    volatile @Nullable Consumer<JsonNode> recorder;

    /** An answer of the {@link #script}. */
    record Reply(int status, byte[] body) {
        Reply(int status) {
            this(status, new byte[0]);
        }
    }

    private final HttpServer server;

    Sink() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = 200;
            byte[] answer = new byte[0];
            JsonNode json = null;
            try {
                json = Json.mapper().readTree(body);
            } catch (RuntimeException notJson) {
                unparseable.add(body);
                status = 400;
            }
            var scripted = script;
            Reply reply = json == null || scripted == null ? null : scripted.apply(json);
            if (json == null) {
                // answered 400 above
            } else if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 500;
                rejected.incrementAndGet();
            } else if (reply != null && (reply.status() < 200 || reply.status() > 299)) {
                status = reply.status();
                answer = reply.body();
                rejected.incrementAndGet();
            } else {
                List<JsonNode> events = json.isArray() ? List.copyOf(json.values()) : List.of(json);
                var keep = recorder;
                if (keep != null) {
                    events.forEach(keep);
                } else {
                    accepted.addAll(events);
                    requests.add(events.size());
                }
            }
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The values of a property, per user id, in the order the sink accepted them. */
    Map<String, List<Integer>> sequencesByUser() {
        var byUser = new java.util.TreeMap<String, List<Integer>>();
        for (JsonNode event : accepted) {
            byUser.computeIfAbsent(event.path("userId").asString(), u -> new java.util.ArrayList<>())
                    .add(event.path("properties").path("seq").asInt());
        }
        return byUser;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
