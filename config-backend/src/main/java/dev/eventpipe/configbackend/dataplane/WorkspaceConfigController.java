package dev.eventpipe.configbackend.dataplane;

import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import dev.eventpipe.model.json.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /workspaceConfig?fetchAll=true} for the data plane (Basic auth, workspace token as user name). The
 * ETag is a hash of the body, so it changes exactly when the config does; Spring MVC answers a GET whose
 * {@code If-None-Match} matches the ETag of the returned entity with 304 and no body.
 */
@RestController
class WorkspaceConfigController {
    private final WorkspaceConfigAssembler assembler;
    private final WorkspaceAccess access;

    WorkspaceConfigController(WorkspaceConfigAssembler assembler, WorkspaceAccess access) {
        this.assembler = assembler;
        this.access = access;
    }

    @GetMapping("/workspaceConfig")
    ResponseEntity<byte[]> workspaceConfig() {
        if (!(access.caller() instanceof Caller.DataPlane dataPlane))
            return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
        byte[] body = Json.write(assembler.assemble(dataPlane.workspaceId()));
        String etag = "\"" + sha256(body) + "\"";
        return ResponseEntity.ok()
                .eTag(etag)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
