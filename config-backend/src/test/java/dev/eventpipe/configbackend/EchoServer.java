package dev.eventpipe.configbackend;

import com.sun.net.httpserver.HttpServer;
import dev.eventpipe.model.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A local HTTP server answering every request with a JSON echo of its method, path, query and body. */
public record EchoServer(HttpServer server) {
    public static EchoServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                Map<String, Object> echo = new LinkedHashMap<>();
                echo.put("method", exchange.getRequestMethod());
                echo.put("path", exchange.getRequestURI().getRawPath());
                echo.put("query", exchange.getRequestURI().getRawQuery());
                echo.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                echo.put("authorization", exchange.getRequestHeaders().getFirst("Authorization"));
                byte[] body = Json.write(echo);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.setExecutor(null);
            server.start();
            return new EchoServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
