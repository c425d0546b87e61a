package dev.eventpipe.router.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.eventpipe.model.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A transformer for the router's batching tests, over real HTTP: {@code GET /features} declares WEBHOOK able to
 * batch, and {@code POST /batch} combines the input, in order, into requests of {@link #chunkSize} jobs whose body
 * is the JSON array of the members' JSON bodies (the real batch modules are tested in transformer-service). It can
 * be taken down (503) or made to answer a plan that breaks the order.
 */
public final class StubBatchTransformer implements AutoCloseable {
    private final HttpServer server;
    private final List<List<Long>> calls = new CopyOnWriteArrayList<>();
    private volatile int chunkSize = 1000;
    private volatile boolean down;
    private volatile boolean reversed;

    public StubBatchTransformer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/features", e -> answer(e, 200, "{\"destinations\":{\"WEBHOOK\":{\"batching\":true}}}"));
        server.createContext("/batch", this::batch);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void chunkSize(int jobs) {
        chunkSize = jobs;
    }

    public void down(boolean down) {
        this.down = down;
    }

    /** Answers the requests last first, which sends a user's later job ahead of an earlier one. */
    public void reversed(boolean reversed) {
        this.reversed = reversed;
    }

    /** The job ids of every {@code /batch} call, in input order. */
    public List<List<Long>> calls() {
        return List.copyOf(calls);
    }

    private void batch(HttpExchange exchange) throws IOException {
        JsonNode request = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
        if (down) {
            answer(exchange, 503, "transformer down for the test");
            return;
        }
        List<JsonNode> input = List.copyOf(request.path("input").values());
        calls.add(input.stream()
                .map(i -> i.path("metadata").path("jobId").asLong())
                .toList());
        List<JsonNode> out = new ArrayList<>();
        for (int from = 0; from < input.size(); from += chunkSize)
            out.add(combine(input.subList(from, Math.min(input.size(), from + chunkSize))));
        if (reversed) Collections.reverse(out);
        ArrayNode answer = Json.mapper().createArrayNode();
        answer.addAll(out);
        answer(exchange, 200, Json.writeString(answer));
    }

    private static ObjectNode combine(List<JsonNode> members) {
        JsonNode first = members.getFirst().path("message");
        ArrayNode bodies = Json.mapper().createArrayNode();
        ObjectNode item = Json.mapper().createObjectNode();
        ArrayNode metadata = item.putArray("metadata");
        for (JsonNode m : members) {
            bodies.add(m.path("message").path("body").path("JSON"));
            metadata.add(m.path("metadata"));
        }
        ObjectNode request = item.putObject("batchedRequest");
        request.put("version", "1");
        request.put("type", "REST");
        request.put("method", "POST");
        request.set("endpoint", first.path("endpoint"));
        request.set("headers", first.path("headers"));
        request.putObject("params");
        request.putObject("body").putObject("JSON_ARRAY").put("batch", Json.writeString(bodies));
        item.put("batched", true);
        item.put("statusCode", 200);
        return item;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("apiVersion", "2");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
