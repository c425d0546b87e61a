package dev.eventpipe.configbackend.audit;

import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reads a workspace's audit log, newest first, for any member. */
@RestController
class AuditController {
    private final AuditLog log;
    private final WorkspaceAccess access;

    AuditController(AuditLog log, WorkspaceAccess access) {
        this.log = log;
        this.access = access;
    }

    @GetMapping("/api/v1/workspaces/{workspaceId}/audit-log")
    List<AuditEntry> list(
            @PathVariable String workspaceId,
            @RequestParam(defaultValue = "100") int limit,
            @RequestParam(defaultValue = "9223372036854775807") long before) {
        access.require(workspaceId, Role.VIEWER);
        return log.list(workspaceId, before, Math.clamp(limit, 1, 1000));
    }
}
