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
        // the instance-wide secret names no workspace: it reads /data-plane/v1/namespaces/{namespace}/config
        if (!(access.caller() instanceof Caller.DataPlane dataPlane) || dataPlane.workspaceId() == null)
            return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
        byte[] body = Json.write(assembler.assemble(dataPlane.workspaceId()));
        return withEtag(body);
    }

    /** The body with an ETag that is a hash of it; Spring MVC turns a matching If-None-Match into a 304. */
    static ResponseEntity<byte[]> withEtag(byte[] body) {
        return ResponseEntity.ok()
                .eTag("\"" + sha256(body) + "\"")
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
