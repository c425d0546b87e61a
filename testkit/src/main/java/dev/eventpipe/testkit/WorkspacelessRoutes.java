package dev.eventpipe.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Calls every {@code /api} route of a running data-plane service, as Spring's own mapping table lists them, with
 * the service token (system property {@code SERVICE_TOKEN}, as the builds set it) but without a workspace: no
 * {@code workspaceId}, a blank one, and two different ones. Fails unless each answers 400 with a problem document
 * that names {@code workspaceId}. A route added later is called too, so it cannot slip through; {@code exempt}
 * lists the routes (as {@code METHOD /path}) that concern the installation, not a tenant. Path variables are
 * filled with {@code 1}. Returns the routes it called.
 *
 * <p>Each route is also called over a raw socket (so no client tidies the request line) in spellings whose servlet
 * path is the route's but whose raw URI does not start with {@code /api/}: {@code /api;x=1/...}, {@code //api/...},
 * {@code /%61pi/...}, {@code /./api/...}, {@code /x/../api/...} (Spring MVC routes the first and the third to the
 * controller; see {@link #spellingStatuses}). Without
 * the token each must answer 401, with it 400 naming {@code workspaceId} (issue 14: the scope filter used to match
 * the raw URI, and these went through without a workspace).
 */
public final class WorkspacelessRoutes {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final List<String> QUERIES =
            List.of("", "?limit=5", "?workspaceId=", "?workspaceId=%20", "?workspaceId=ws-a&workspaceId=ws-b");

    /** Spellings of {@code /api/<rest>} that name the same route (see the class comment). */
    private static final List<UnaryOperator<String>> SPELLINGS = List.of(
            path -> "/api;x=1" + path.substring(4),
            path -> "/" + path,
            path -> "/%61pi" + path.substring(4),
            path -> "/." + path,
            path -> "/x/.." + path);

    private WorkspacelessRoutes() {}

    public static List<String> check(RequestMappingHandlerMapping mappings, int port, Set<String> exempt) {
        String token = System.getProperty("SERVICE_TOKEN", System.getenv("SERVICE_TOKEN"));
        if (token == null || token.isBlank()) throw new AssertionError("SERVICE_TOKEN is not set for the test");
        List<String> checked = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/")) continue;
                String path = pattern.replaceAll("\\{[^}]+}", "1").replace("/**", "/1");
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    if (exempt.contains(method + " " + pattern)) continue;
                    for (String query : QUERIES) {
                        HttpResponse<String> answer = call(port, method.name(), path + query, token);
                        String type =
                                answer.headers().firstValue("Content-Type").orElse("");
                        if (answer.statusCode() != 400
                                || !type.startsWith("application/problem+json")
                                || !answer.body().contains("workspaceId")) {
                            throw new AssertionError(method + " " + path + query + " with the service token answered "
                                    + answer.statusCode() + " " + type + " " + answer.body());
                        }
                    }
                    for (UnaryOperator<String> spelling : SPELLINGS) {
                        String spelled = spelling.apply(path);
                        RawAnswer without = raw(port, method.name(), spelled, null);
                        if (without.status() != 401) {
                            throw new AssertionError(method + " " + spelled + " without the service token answered "
                                    + without.status() + " " + without.body());
                        }
                        RawAnswer with = raw(port, method.name(), spelled, token);
                        if (with.status() != 400
                                || !with.contentType().startsWith("application/problem+json")
                                // the scope filter's words, not a controller's "required parameter" 400
                                || !with.body().contains("workspaceId is required")) {
                            throw new AssertionError(method + " " + spelled + " with the service token answered "
                                    + with.status() + " " + with.contentType() + " " + with.body());
                        }
                    }
                    checked.add(method + " " + pattern);
                }
            }
        }
        return checked;
    }

    /**
     * Which spellings of {@code path} (an {@code /api/...} route that answers 200 when it names a workspace) Spring
     * MVC dispatches to that route: each spelling is sent over a raw socket with the service token and
     * {@code query} (which names a workspace), and its status is returned, by spelling, in the order of the class
     * comment. 200 means the controller answered; a 404 means no route matched that spelling.
     */
    public static java.util.Map<String, Integer> spellingStatuses(int port, String path, String query) {
        String token = System.getProperty("SERVICE_TOKEN", System.getenv("SERVICE_TOKEN"));
        if (token == null || token.isBlank()) throw new AssertionError("SERVICE_TOKEN is not set for the test");
        java.util.Map<String, Integer> statuses = new java.util.LinkedHashMap<>();
        for (UnaryOperator<String> spelling : SPELLINGS) {
            String spelled = spelling.apply(path);
            statuses.put(spelled, raw(port, "GET", spelled + query, token).status());
        }
        return statuses;
    }

    private static HttpResponse<String> call(int port, String method, String pathAndQuery, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.ofString("{\"jobIds\":[1],\"destinationId\":\"d\"}"))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + pathAndQuery + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    record RawAnswer(int status, String contentType, String body) {}

    /** The body of a chunked answer without its chunk sizes (the answers here are ASCII, so sizes count chars). */
    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) break;
            int size = Integer.parseInt(
                    chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) break;
            int from = lineEnd + 2;
            out.append(chunked, from, Math.min(chunked.length(), from + size));
            at = from + size + 2;
        }
        return out.toString();
    }

    /** One request written byte for byte as given (HTTP/1.1, {@code Connection: close}), and its answer. */
    static RawAnswer raw(int port, String method, String target, String token) {
        String body = "{\"jobIds\":[1],\"destinationId\":\"d\"}";
        String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Content-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            String text = answer.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String headers = end < 0 ? text : text.substring(0, end);
            String[] statusLine = headers.split("\r\n", 2)[0].split(" ");
            String type = "";
            boolean chunked = false;
            for (String line : headers.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-type:")) type = line.substring(13).strip();
                if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
            }
            String answerBody = end < 0 ? "" : text.substring(end + 4);
            return new RawAnswer(Integer.parseInt(statusLine[1]), type, chunked ? dechunk(answerBody) : answerBody);
        } catch (IOException | RuntimeException e) {
            throw new AssertionError(method + " " + target + " failed: " + e, e);
        }
    }
}
