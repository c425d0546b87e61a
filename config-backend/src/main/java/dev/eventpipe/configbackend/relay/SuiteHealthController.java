package dev.eventpipe.configbackend.relay;

import dev.eventpipe.configbackend.access.WorkspaceAccess;
import dev.eventpipe.configbackend.dataplane.CurrentConfigVersions;
import dev.eventpipe.model.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/suite/health}: every service's own {@code GET /health} answer, asked at once with a short
 * deadline, for the web app's health page. Always 200: a service that is down or unreachable is a finding to show,
 * not an error of this call. Open to every signed-in user; the answers hold no workspace data. {@code configVersions}:
 * the version of each config document the data plane may read now ({@link CurrentConfigVersions}), next to which the
 * page shows each data-plane service's {@code configVersion} (for its {@code configScope}): the namespace's, and
 * {@code workspace:<id>} only for the workspaces the caller has a role in (all for an instance administrator), since
 * a workspace must not learn of another's existence, nor see when its config changes.
 */
@RestController
class SuiteHealthController {
    private static final Duration DEADLINE = Duration.ofSeconds(3);

    record ServiceHealth(
            String name,
            boolean reachable,
            int httpStatus,
            boolean healthy,
            @Nullable JsonNode body) {}

    record SuiteHealth(Instant checkedAt, List<ServiceHealth> services, Map<String, String> configVersions) {}

    private final Map<String, String> services = new LinkedHashMap<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(DEADLINE).build();

    private static final String WORKSPACE_SCOPE = "workspace:";

    private final CurrentConfigVersions configVersions;
    private final WorkspaceAccess access;

    SuiteHealthController(
            RelayProperties relay,
            CurrentConfigVersions configVersions,
            WorkspaceAccess access,
            @Value("${configbackend.relay.gateway-url:http://127.0.0.1:8080}") String gatewayUrl) {
        this.configVersions = configVersions;
        this.access = access;
        services.put("gateway", gatewayUrl);
        services.put("processor", relay.processorUrl());
        services.put("router", relay.routerUrl());
        services.put("transformer", relay.transformerUrl());
        services.put("warehouse", relay.warehouseUrl());
    }

    @GetMapping("/api/v1/suite/health")
    SuiteHealth health() {
        List<CompletableFuture<ServiceHealth>> asks = services.entrySet().stream()
                .map(e -> ask(e.getKey(), e.getValue()))
                .toList();
        // the backend's versions are read after the services answered: a service can then be behind, never ahead
        List<ServiceHealth> answers = asks.stream().map(CompletableFuture::join).toList();
        Map<String, String> versions = configVersions.versions();
        versions.keySet()
                .removeIf(scope ->
                        scope.startsWith(WORKSPACE_SCOPE) && !access.sees(scope.substring(WORKSPACE_SCOPE.length())));
        return new SuiteHealth(Instant.now(), answers, versions);
    }

    private CompletableFuture<ServiceHealth> ask(String name, String base) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.replaceAll("/+$", "") + "/health"))
                .timeout(DEADLINE)
                .GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new ServiceHealth(name, true, r.statusCode(), r.statusCode() == 200, json(r.body())))
                .exceptionally(e -> new ServiceHealth(name, false, 0, false, null));
    }

    private static @Nullable JsonNode json(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
