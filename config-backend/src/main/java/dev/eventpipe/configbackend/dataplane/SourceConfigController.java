package dev.eventpipe.configbackend.dataplane;

import dev.eventpipe.configbackend.source.Sources;
import dev.eventpipe.model.config.SdkSourceConfig;
import dev.eventpipe.model.config.Source;
import dev.eventpipe.model.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /sourceConfig} and {@code /sourceConfig/} for RudderStack's SDKs whose {@code configUrl} (JS) or
 * {@code controlPlaneUrl} (Android, iOS) is the control plane: the same body, ETag and errors as the gateway's
 * (both use {@link SdkSourceConfig}). The write key is Basic auth's user name, else the {@code writeKey} query
 * parameter. Public, with CORS for any origin: browsers call it from the customer's site. The gateway serves the
 * same route from its own copy of the config and keeps serving it while this backend is down; the snippets point
 * the SDKs there.
 */
@RestController
class SourceConfigController {
    private static final MediaType TEXT = MediaType.parseMediaType("text/plain; charset=utf-8");

    private final Sources sources;
    private final WorkspaceConfigAssembler assembler;

    SourceConfigController(Sources sources, WorkspaceConfigAssembler assembler) {
        this.sources = sources;
        this.assembler = assembler;
    }

    @CrossOrigin(originPatterns = "*", allowedHeaders = "*", allowCredentials = "true", maxAge = 900)
    @GetMapping({"/sourceConfig", "/sourceConfig/"})
    ResponseEntity<byte[]> sourceConfig(HttpServletRequest request) {
        String key = writeKey(request);
        if (key == null) return refuse("failed to read writekey from header");
        var found = sources.byWriteKey(key);
        if (found.isEmpty()) return refuse("invalid write key");
        ConfigDocument workspace = assembler.assemble(found.get().workspaceId());
        Source source = workspace.sources().stream()
                .filter(s -> s.id().equals(found.get().id()))
                .findFirst()
                .map(s -> Json.mapper().convertValue(s, Source.class))
                .orElseThrow();
        return WorkspaceConfigController.withEtag(Json.write(SdkSourceConfig.of(source)));
    }

    private static ResponseEntity<byte[]> refuse(String message) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .contentType(TEXT)
                .header("X-Content-Type-Options", "nosniff")
                .body((message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static @Nullable String writeKey(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(
                        Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                String user = colon < 0 ? decoded : decoded.substring(0, colon);
                if (!user.isEmpty()) return user;
            } catch (IllegalArgumentException e) {
                // not base64: fall back to the query parameter
            }
        }
        String query = request.getQueryString();
        if (query == null) return null;
        for (String pair : query.split("&")) {
            if (pair.startsWith("writeKey=") && pair.length() > 9) {
                return URLDecoder.decode(pair.substring(9), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
