package dev.eventpipe.configbackend;

import dev.eventpipe.model.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** A small HTTP client for the tests: JSON in, status + JSON out, with an optional Authorization header. */
public record Api(String baseUrl, @Nullable String authorization) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public record Reply(int status, JsonNode body, HttpHeaders headers, String text) {
        public String header(String name) {
            return headers.firstValue(name).orElse("");
        }
    }

    public static Api anonymous(int port) {
        return new Api("http://127.0.0.1:" + port, null);
    }

    public Api bearer(String token) {
        return new Api(baseUrl, "Bearer " + token);
    }

    public Api basic(String user) {
        return new Api(
                baseUrl, "Basic " + Base64.getEncoder().encodeToString((user + ":").getBytes(StandardCharsets.UTF_8)));
    }

    public Reply get(String path) {
        return send("GET", path, null, Map.of());
    }

    public Reply get(String path, Map<String, String> headers) {
        return send("GET", path, null, headers);
    }

    public Reply post(String path, @Nullable Object body) {
        return send("POST", path, body, Map.of());
    }

    public Reply post(String path, @Nullable Object body, Map<String, String> headers) {
        return send("POST", path, body, headers);
    }

    public Reply put(String path, @Nullable Object body) {
        return send("PUT", path, body, Map.of());
    }

    public Reply patch(String path, Object body) {
        return send("PATCH", path, body, Map.of());
    }

    public Reply delete(String path) {
        return send("DELETE", path, null, Map.of());
    }

    /** Any method, as an API description names it. */
    public Reply call(String method, String path, @Nullable Object body) {
        return send(method, path, body, Map.of());
    }

    /** Any method, with extra headers (a cookie, the web app's CSRF header). */
    public Reply call(String method, String path, @Nullable Object body, Map<String, String> headers) {
        return send(method, path, body, headers);
    }

    /** Logs in and answers a client carrying the session's bearer token. */
    public Api login(String email, String password) {
        Reply reply = post("/api/v1/auth/login", Map.of("email", email, "password", password));
        if (reply.status() != 200)
            throw new IllegalStateException("login failed: " + reply.status() + " " + reply.text());
        return bearer(reply.body().get("token").asString());
    }

    private Reply send(String method, String path, @Nullable Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(
                                        body instanceof String s ? s : Json.writeString(body)))
                .header("Content-Type", "application/json");
        if (authorization != null) request.header("Authorization", authorization);
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode json = text.isBlank() || !(text.startsWith("{") || text.startsWith("["))
                    ? Json.mapper().missingNode()
                    : Json.mapper().readTree(text);
            return new Reply(response.statusCode(), json, response.headers(), text);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }
}
