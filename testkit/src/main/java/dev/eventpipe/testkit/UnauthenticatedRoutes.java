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
 * Calls every route of a running service, as Spring's own mapping table lists them, without a service token and
 * with a wrong one, and fails unless each answers 401 (the health probes: not 401). Path variables are filled with
 * {@code 1}. Returns the routes it called, as {@code METHOD /path}.
 */
public final class UnauthenticatedRoutes {
    private static final Set<String> OPEN = Set.of("/health", "/health/live");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private UnauthenticatedRoutes() {}

    public static List<String> check(RequestMappingHandlerMapping mappings, int port) {
        List<String> checked = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                String path = pattern.replaceAll("\\{[^}]+}", "1").replace("/**", "/1");
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    for (String authorization : new String[] {null, "Bearer not-the-token"}) {
                        int status = call(port, method.name(), path, authorization);
                        boolean ok = OPEN.contains(path) ? status != 401 : status == 401;
                        if (!ok) {
                            throw new AssertionError(method + " " + path + " with authorization " + authorization
                                    + " answered " + status);
                        }
                    }
                    checked.add(method + " " + path);
                }
            }
        }
        for (String extra : List.of("/actuator/prometheus", "/actuator/health", "/")) {
            if (call(port, "GET", extra, null) != 401) throw new AssertionError("GET " + extra + " is open");
        }
        return checked;
    }

    private static int call(int port, String method, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString("{}"));
        if (authorization != null) request.header("Authorization", authorization);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
