package dev.eventpipe.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 */
public final class WorkspacelessRoutes {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final List<String> QUERIES =
            List.of("", "?limit=5", "?workspaceId=", "?workspaceId=%20", "?workspaceId=ws-a&workspaceId=ws-b");

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
                    checked.add(method + " " + pattern);
                }
            }
        }
        return checked;
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
}
