package dev.eventpipe.processor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.eventpipe.model.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small rudder-transformer stand-in on 127.0.0.1 (JDK HttpServer), speaking the contract the processor uses:
 * {@code POST /v0/destinations/<type>} answers a webhook-style REST payload per event; {@code POST
 * /customTransform} applies the behaviour named by the transformation's VersionID: {@code mark} (adds
 * {@code properties.transformed}), {@code drop} (298), {@code fail} (400), {@code double} (two outputs). It can
 * fail the next N calls with a status, or hold calls until released, to script outages and crashes.
 */
public final class StubTransformer implements AutoCloseable {
    /**
     * Reads and writes JSON of any depth, as the transformer's JavaScript does: an answer may nest an event deeper
     * than the processor's reader allows (Jackson's limit is 500 levels), which is what the processor must cope with.
     */
    private static final JsonMapper UNLIMITED = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(100_000)
                            .build())
                    .streamWriteConstraints(StreamWriteConstraints.builder()
                            .maxNestingDepth(100_000)
                            .build())
                    .build())
            .build();

    private final HttpServer server;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus = 503;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private volatile long delayMillis;

    public StubTransformer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** A started stub, for static fields: a port that cannot be opened fails the test class. */
    static StubTransformer started() {
        try {
            return new StubTransformer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code n} calls answer {@code status} with no apiVersion header. */
    public void failNext(int n, int status) {
        failureStatus = status;
        failuresLeft.set(n);
    }

    public int failuresLeft() {
        return failuresLeft.get();
    }

    /** Calls wait until {@link #release()}. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    public void release() {
        gate.countDown();
    }

    /** How many calls are waiting at the gate now. */
    public int held() {
        return held.get();
    }

    public int calls() {
        return calls.get();
    }

    /** The paths called so far, in the order of the calls. */
    public List<String> paths() {
        return List.copyOf(paths);
    }

    public void delay(long millis) {
        delayMillis = millis;
    }

    private void handle(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        paths.add(exchange.getRequestURI().getPath());
        try (exchange) {
            held.incrementAndGet();
            try {
                gate.await(60, TimeUnit.SECONDS);
                if (delayMillis > 0) Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                held.decrementAndGet();
            }
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(exchange, failureStatus, "{\"error\":\"scripted outage\"}", false);
                return;
            }
            JsonNode request = UNLIMITED.readTree(exchange.getRequestBody().readAllBytes());
            String path = exchange.getRequestURI().getPath();
            ArrayNode answer = path.equals("/customTransform") ? user(request) : destination(request);
            send(exchange, 200, UNLIMITED.writeValueAsString(answer), true);
        }
    }

    private static void send(HttpExchange exchange, int status, String body, boolean apiVersion) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (apiVersion) exchange.getResponseHeaders().add("apiVersion", "2");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static ArrayNode user(JsonNode request) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (JsonNode item : request) {
            String version = item.path("destination")
                    .path("Transformations")
                    .path(0)
                    .path("VersionID")
                    .asString("");
            ObjectNode message = (ObjectNode) item.path("message").deepCopy();
            switch (version) {
                case "drop" -> out.addObject().put("statusCode", 298).set("metadata", item.path("metadata"));
                case "fail" ->
                    out.addObject()
                            .put("statusCode", 400)
                            .put("error", "TypeError: boom")
                            .set("metadata", item.path("metadata"));
                case "double" -> {
                    for (int i = 1; i <= 2; i++) {
                        ObjectNode copy = message.deepCopy();
                        copy.withObject("properties").put("copy", i);
                        ok(out, copy, item.path("metadata"));
                    }
                }
                default -> {
                    message.withObject("properties").put("transformed", true);
                    ok(out, message, item.path("metadata"));
                }
            }
        }
        return out;
    }

    private static ArrayNode destination(JsonNode request) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (JsonNode item : request) {
            JsonNode message = item.path("message");
            JsonNode config = item.path("destination").path("Config");
            ObjectNode payload = Json.mapper().createObjectNode();
            payload.put("version", "1");
            payload.put("type", "REST");
            payload.put("method", "POST");
            payload.put("endpoint", config.path("webhookUrl").asString("http://127.0.0.1:1/none"));
            payload.putObject("headers").put("content-type", "application/json");
            payload.putObject("params");
            ObjectNode body = payload.putObject("body");
            body.set("JSON", message);
            body.putObject("JSON_ARRAY");
            body.putObject("XML");
            body.putObject("FORM");
            payload.putObject("files");
            payload.put("userId", message.path("anonymousId").asString(""));
            ok(out, payload, item.path("metadata"));
        }
        return out;
    }

    private static void ok(ArrayNode out, JsonNode output, JsonNode metadata) {
        ObjectNode item = out.addObject();
        item.set("output", output);
        item.set("metadata", metadata);
        item.put("statusCode", 200);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
