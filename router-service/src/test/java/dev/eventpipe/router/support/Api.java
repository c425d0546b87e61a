package dev.eventpipe.router.support;

import dev.eventpipe.model.auth.ServiceToken;
import dev.eventpipe.model.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;

/** Calls the router's HTTP API. */
public record Api(int port) {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    public record Response(int status, JsonNode json, String body) {}

    public Response get(String path) {
        return send(
                ServiceToken.authorize(HttpRequest.newBuilder(uri(path))).GET().build());
    }

    public Response post(String path, String json) {
        return send(ServiceToken.authorize(HttpRequest.newBuilder(uri(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = Json.mapper().readTree(r.body().isEmpty() ? "{}" : r.body());
            } catch (RuntimeException e) {
                json = Json.mapper().createObjectNode();
            }
            return new Response(r.statusCode(), json, r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
