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
import tools.jackson.databind.JsonNode;

/**
 * A destination on 127.0.0.1 that records what it accepted. While {@link #failNext} is positive it answers 500,
 * one request at a time, so retries and the per-user barrier can be watched. A JSON array body is a batch: each
 * element is recorded, and {@link #requests} counts the requests accepted.
 */
final class Sink implements AutoCloseable {
    final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger rejected = new AtomicInteger();
    final AtomicInteger failNext = new AtomicInteger();
    final List<Integer> requests = new CopyOnWriteArrayList<>();
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
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 500;
                rejected.incrementAndGet();
            } else {
                JsonNode json = Json.mapper().readTree(body);
                List<JsonNode> events = json.isArray() ? List.copyOf(json.values()) : List.of(json);
                accepted.addAll(events);
                requests.add(events.size());
            }
            exchange.sendResponseHeaders(status, -1);
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
