package dev.eventpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every route of the service, read from Spring's own mapping table, answers 401 to a caller without the service
 * token (security review P0-2), with a wrong one too; only the health probes stay open.
 */
class ServiceAuthIT extends HttpTestBase {
    private static final Set<String> OPEN = Set.of("/health", "/health/live");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void everyRouteButHealthRefusesCallersWithoutTheServiceToken() {
        List<String> checked = new ArrayList<>();
        mappings.getHandlerMethods().keySet().forEach(info -> {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                String path = pattern.replaceAll("\\{[^}]+}", "x").replace("/**", "/x");
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    int expected = OPEN.contains(path) ? 200 : 401;
                    assertThat(call(method.name(), path, null))
                            .as(method + " " + path)
                            .isEqualTo(expected);
                    assertThat(call(method.name(), path, "Bearer wrong-token"))
                            .as(method + " " + path + " with a wrong token")
                            .isEqualTo(expected);
                    checked.add(method + " " + path);
                }
            }
        });
        assertThat(checked)
                .contains("POST /customTransform", "POST /transformation/test", "POST /batch", "GET /health");
        assertThat(call("GET", "/actuator/prometheus", null)).isEqualTo(401);
        assertThat(call("GET", "/features", "Bearer " + SERVICE_TOKEN)).isEqualTo(200);
    }

    private int call(String method, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString("[]"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build()).statusCode();
    }
}
