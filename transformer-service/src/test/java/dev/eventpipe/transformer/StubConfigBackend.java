package dev.eventpipe.transformer;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A config backend on 127.0.0.1 that serves transformation code by version id, one per test JVM. */
public final class StubConfigBackend {
    public static final StubConfigBackend INSTANCE = new StubConfigBackend();
    public static final String TOKEN = "test-workspace-token";

    private final HttpServer server;
    private final Map<String, String> code = new ConcurrentHashMap<>();
    private final Map<String, String> workspaces = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    private StubConfigBackend() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/transformation/getByVersionId", exchange -> {
            String versionId = exchange.getRequestURI().getQuery().replaceFirst("^versionId=", "");
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            fetches.computeIfAbsent(versionId, v -> new AtomicInteger()).incrementAndGet();
            Integer failure = failures.get(versionId);
            String js = code.get(versionId);
            int status = failure != null ? failure : js == null ? 404 : 200;
            Map<String, String> answer =
                    new java.util.HashMap<>(Map.of("versionId", versionId, "language", "javascript", "name", "t"));
            if (js != null) {
                answer.put("code", js);
            }
            String workspace = workspaces.get(versionId);
            if (workspace != null) {
                answer.put("workspaceId", workspace);
            }
            byte[] body = status == 200
                    ? dev.eventpipe.model.json.Json.mapper().writeValueAsBytes(answer)
                    : "{\"message\":\"no\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void put(String versionId, String js) {
        code.put(versionId, js);
    }

    /** Code of a version the answer says belongs to {@code workspaceId}, as the config backend's does. */
    public void put(String versionId, String workspaceId, String js) {
        workspaces.put(versionId, workspaceId);
        code.put(versionId, js);
    }

    public void failWith(String versionId, int status) {
        failures.put(versionId, status);
    }

    public void heal(String versionId) {
        failures.remove(versionId);
    }

    public int fetches(String versionId) {
        AtomicInteger n = fetches.get(versionId);
        return n == null ? 0 : n.get();
    }

    public List<String> authorizations() {
        return authorizations;
    }
}
