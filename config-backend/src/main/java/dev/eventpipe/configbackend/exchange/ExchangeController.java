package dev.eventpipe.configbackend.exchange;

import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Config as code: {@code GET .../export} (viewers) and {@code POST .../import} (editors, idempotent). */
@RestController
class ExchangeController {
    private final Exporter exporter;
    private final Importer importer;
    private final WorkspaceAccess access;

    ExchangeController(Exporter exporter, Importer importer, WorkspaceAccess access) {
        this.exporter = exporter;
        this.importer = importer;
        this.access = access;
    }

    @GetMapping("/api/v1/workspaces/{workspaceId}/export")
    WorkspaceExport export(@PathVariable String workspaceId) {
        access.require(workspaceId, Role.VIEWER);
        return exporter.export(workspaceId);
    }

    @PostMapping("/api/v1/workspaces/{workspaceId}/import")
    Importer.Result importFile(@PathVariable String workspaceId, @Valid @RequestBody WorkspaceExport file) {
        Caller actor = access.require(workspaceId, Role.EDITOR);
        return importer.apply(workspaceId, file, actor);
    }
}
