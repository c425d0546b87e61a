package dev.eventpipe.configbackend.relay;

import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import dev.eventpipe.configbackend.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Relays {@code /api/v1/dataplane/{router|processor|transformer|warehouse}/**} to that service, so the browser talks to one
 * origin and one log-in. The data-plane services know no users, so access is decided here: a call naming a
 * {@code workspaceId} query parameter needs a role in that workspace (viewer to read, editor to change); the
 * transformer's code test needs an editor role anywhere; any other call only an instance admin may make.
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
        authorize(service, path, request);
        String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
        HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(base.replaceAll("/+$", "") + path + query))
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

    private void authorize(String service, String path, HttpServletRequest request) {
        boolean reads = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        String workspaceId = request.getParameter("workspaceId");
        if (workspaceId != null && !workspaceId.isBlank()) {
            access.require(workspaceId, reads ? Role.VIEWER : Role.EDITOR);
        } else if ("transformer".equals(service) && path.startsWith("/transformation/test")) {
            if (!editsSomewhere()) throw new ApiException.Forbidden("testing code needs the EDITOR role");
        } else if (!(access.caller() instanceof Caller.Person p && p.instanceAdmin())) {
            throw new ApiException.Forbidden(
                    "data-plane calls without a workspaceId parameter are for instance administrators");
        }
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
