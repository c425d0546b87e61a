package dev.eventpipe.gateway.sdkconfig;

import dev.eventpipe.gateway.auth.WriteKeyAuth;
import dev.eventpipe.gateway.reply.Reply;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.model.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * What SDKs fetch before they send anything, served from the gateway's copy of the workspace config (cheap, and
 * available while the config backend is down):
 *
 * <ul>
 *   <li>{@code GET /sourceConfig} and {@code /sourceConfig/} (RudderStack's JS SDK v3 appends the slash, the mobile
 *       SDKs do not; query parameters {@code p}, {@code v}, {@code build}, {@code lockIntegrationsVersion}... are
 *       accepted and ignored): the write key from Basic auth, else the {@code writeKey} query parameter. The body is
 *       {@link dev.eventpipe.model.config.SdkSourceConfig}'s; a disabled source answers {@code enabled:false} (the
 *       SDK then stops); an unknown key 401 {@code invalid write key} (the Android and iOS SDKs recognise that text
 *       and stop retrying); no key 401. {@code ETag} + {@code Cache-Control: no-cache}: a browser revalidates and
 *       gets a 304.
 *   <li>{@code GET /v1/projects/{writeKey}/settings} for Segment's analytics.js: one integration, {@code Segment.io},
 *       whose {@code apiHost} is this gateway as the browser reached it ({@code gateway.public-url} when set), so
 *       analytics.js posts its events here; no remote plugins and metrics sampling 0, so it loads nothing else.
 *       Unknown key: 404.
 * </ul>
 */
@RestController
class SdkConfigController {
    private static final MediaType JSON = MediaType.APPLICATION_JSON;

    private final WorkspaceConfigClient config;
    private final SourceConfigs sourceConfigs;
    private final SdkConfigProperties properties;

    SdkConfigController(WorkspaceConfigClient config, SourceConfigs sourceConfigs, SdkConfigProperties properties) {
        this.config = config;
        this.sourceConfigs = sourceConfigs;
        this.properties = properties;
    }

    @GetMapping({"/sourceConfig", "/sourceConfig/"})
    ResponseEntity<byte[]> sourceConfig(HttpServletRequest request) {
        if (!config.hasLoaded()) return Reply.UNAVAILABLE.toResponse();
        String key = WriteKeyAuth.keyOf(request);
        if (key == null) return Reply.NO_WRITE_KEY.toResponse();
        return sourceConfigs
                .forWriteKey(key)
                .map(rendered -> ResponseEntity.ok()
                        .eTag(rendered.etag())
                        .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                        .contentType(JSON)
                        .body(rendered.body()))
                .orElseGet(Reply.INVALID_WRITE_KEY::toResponse);
    }

    @GetMapping({"/v1/projects/{writeKey}/settings", "/v1/projects/{writeKey}/settings/"})
    ResponseEntity<byte[]> segmentSettings(@PathVariable String writeKey, HttpServletRequest request) {
        if (!config.hasLoaded()) return Reply.UNAVAILABLE.toResponse();
        if (config.current().sourceByWriteKey(writeKey).isEmpty()) {
            return ResponseEntity.status(404).contentType(JSON).body(Json.write(Map.of("message", "not found")));
        }
        URI self = publicUrl(request);
        Map<String, Object> segmentIo = new LinkedHashMap<>();
        segmentIo.put("apiKey", writeKey);
        segmentIo.put("apiHost", self.getRawAuthority() + path(self) + "/v1");
        segmentIo.put("protocol", self.getScheme());
        segmentIo.put("unbundledIntegrations", List.of());
        segmentIo.put("addBundledMetadata", false);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("integrations", Map.of("Segment.io", segmentIo));
        body.put("plan", Map.of());
        body.put("metrics", Map.of("sampleRate", 0));
        body.put("remotePlugins", List.of());
        body.put("enabledMiddleware", Map.of());
        body.put("middlewareSettings", Map.of());
        return ResponseEntity.ok()
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .contentType(JSON)
                .body(Json.write(body));
    }

    private URI publicUrl(HttpServletRequest request) {
        if (!properties.publicUrl().isBlank()) return URI.create(properties.publicUrl());
        // scheme, host and port as the client reached us (X-Forwarded-* only when server.forward-headers-strategy
        // trusts them)
        String host = request.getServerName();
        int port = request.getServerPort();
        String scheme = request.getScheme();
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        String authority = (host.contains(":") ? "[" + host + "]" : host) + (defaultPort ? "" : ":" + port);
        return URI.create(scheme + "://" + authority + request.getContextPath());
    }

    private static String path(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
