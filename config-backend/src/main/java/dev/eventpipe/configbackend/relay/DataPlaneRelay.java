package dev.eventpipe.configbackend.relay;

import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import dev.eventpipe.configbackend.web.ApiException;
import dev.eventpipe.model.auth.ServiceToken;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Relays {@code /api/v1/dataplane/{router|processor|transformer|warehouse}/**} to that service, so the browser talks
 * to one origin and one log-in. The data-plane services know no users, so access is decided here: only the calls
 * listed in {@link RelayRoute} are forwarded; each names one {@code workspaceId} query parameter and needs a role
 * in that workspace (viewer to read, editor to change), and the relay forwards exactly that workspace id (any
 * other {@code workspaceId} parameter is dropped). The transformer's code test needs an editor role anywhere. The
 * relay adds the installation's {@code SERVICE_TOKEN}; the caller's own credentials stay here.
 */
@RestController
class DataPlaneRelay {
    private static final String PREFIX = "/api/v1/dataplane/";

    private final Map<String, String> targets;
    private final RelayProperties properties;
    private final WorkspaceAccess access;
    private final HttpClient http;

    DataPlaneRelay(RelayProperties properties, WorkspaceAccess access) {
        this.properties = properties;
        this.access = access;
        this.targets = Map.of(
                "router", properties.routerUrl(),
                "processor", properties.processorUrl(),
                "transformer", properties.transformerUrl(),
                "warehouse", properties.warehouseUrl());
        this.http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
    }

    @RequestMapping(PREFIX + "{service}/**")
    ResponseEntity<?> relay(
            @PathVariable String service,
            HttpServletRequest request,
            @RequestBody(required = false) byte @Nullable [] body)
            throws InterruptedException {
        String base = targets.get(service);
        if (base == null) throw new ApiException.NotFound("data-plane service " + service);
        String path = request.getRequestURI().substring((PREFIX + service).length());
        RelayRoute route = RelayRoute.find(service, request.getMethod(), path)
                .orElseThrow(() -> new ApiException.NotFound("data-plane route " + request.getMethod() + " " + path));
        String workspaceId = authorize(route, request);
        String query = forwardedQuery(request.getQueryString(), workspaceId);
        HttpRequest.Builder out = ServiceToken.authorize(
                        HttpRequest.newBuilder(URI.create(base.replaceAll("/+$", "") + path + query)))
                .timeout(properties.timeout())
                .method(
                        request.getMethod(),
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        copyHeader(request, out, "Content-Type");
        copyHeader(request, out, "Accept");
        try {
            HttpResponse<byte[]> answer = http.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
            ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.statusCode());
            answer.headers().firstValue("Content-Type").ifPresent(type -> response.header("Content-Type", type));
            return response.body(answer.body());
        } catch (IOException e) {
            return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
                    .body(ProblemDetail.forStatusAndDetail(
                            HttpStatus.BAD_GATEWAY, "the " + service + " service is not answering"));
        }
    }

    /** The workspace the call is about (null for a code test without one), once the caller may make it. */
    private @Nullable String authorize(RelayRoute route, HttpServletRequest request) {
        String[] named = request.getParameterValues("workspaceId");
        Set<String> workspaces = new HashSet<>(named == null ? List.of() : Arrays.asList(named));
        workspaces.removeIf(String::isBlank);
        if (workspaces.size() > 1) throw new ApiException.Invalid("workspaceId", "name one workspace, not several");
        if (workspaces.isEmpty()) {
            if (!route.isCodeTest()) throw new ApiException.Invalid("workspaceId", "is required");
            if (!editsSomewhere()) throw new ApiException.Forbidden("testing code needs the EDITOR role");
            return null;
        }
        String workspaceId = workspaces.iterator().next();
        access.require(workspaceId, route.role());
        return workspaceId;
    }

    /** The caller's query without its workspaceId parameters, plus the one workspace the caller was checked for. */
    static String forwardedQuery(@Nullable String query, @Nullable String workspaceId) {
        List<String> kept = new ArrayList<>();
        if (query != null) {
            for (String part : query.split("&")) {
                String name = URLDecoder.decode(part.split("=", 2)[0], StandardCharsets.UTF_8);
                if (!part.isEmpty() && !name.equals("workspaceId")) kept.add(part);
            }
        }
        if (workspaceId != null) kept.addFirst("workspaceId=" + URLEncoder.encode(workspaceId, StandardCharsets.UTF_8));
        return kept.isEmpty() ? "" : "?" + String.join("&", kept);
    }

    private boolean editsSomewhere() {
        return switch (access.caller()) {
            case Caller.Person p -> p.instanceAdmin() || access.editsAnyWorkspace(p);
            case Caller.Automation a -> a.role().allows(Role.EDITOR);
            case Caller.DataPlane d -> false;
        };
    }

    private static void copyHeader(HttpServletRequest from, HttpRequest.Builder to, String name) {
        String value = from.getHeader(name);
        if (value != null) to.header(name, value);
    }
}
