package dev.eventpipe.warehouse.api;

import dev.eventpipe.warehouse.upload.Upload;
import dev.eventpipe.warehouse.upload.UploadScheduler;
import dev.eventpipe.warehouse.upload.UploadTable;
import dev.eventpipe.warehouse.upload.Uploads;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Uploads of a workspace's warehouse destinations, newest first, each with its tables (rows, discards, errors);
 * "sync now"; retry of an aborted upload. Every call names its {@code workspaceId} and sees only that workspace's
 * uploads (the config backend's relay checks the caller's role there).
 */
@RestController
@RequestMapping("/api/v1/warehouse/uploads")
class UploadsController {
    /** An upload with its tables, as the web app shows it. */
    record UploadView(Upload upload, List<UploadTable> tables) {}

    record SyncRequest(String destinationId, @Nullable String sourceId) {}

    private final Uploads uploads;
    private final UploadScheduler scheduler;

    UploadsController(Uploads uploads, UploadScheduler scheduler) {
        this.uploads = uploads;
        this.scheduler = scheduler;
    }

    @GetMapping
    Map<String, List<UploadView>> list(
            @RequestParam String workspaceId,
            @RequestParam(required = false) @Nullable String destinationId,
            @RequestParam(required = false) @Nullable String sourceId,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(defaultValue = "0") int offset) {
        List<UploadView> views = uploads
                .list(workspaceId, destinationId, sourceId, status, Math.clamp(limit, 1, 500), Math.max(0, offset))
                .stream()
                .map(u -> new UploadView(u, uploads.tables(u.id())))
                .toList();
        return Map.of("uploads", views);
    }

    @GetMapping("/{id}")
    ResponseEntity<?> get(@PathVariable long id, @RequestParam String workspaceId) {
        return uploads.get(id)
                .filter(u -> u.workspaceId().equals(workspaceId))
                .<ResponseEntity<?>>map(u -> ResponseEntity.ok(new UploadView(u, uploads.tables(u.id()))))
                .orElseGet(() -> notFound("upload " + id));
    }

    @PostMapping("/sync")
    ResponseEntity<?> syncNow(@RequestParam String workspaceId, @RequestBody SyncRequest request) {
        if (request.destinationId() == null || request.destinationId().isBlank())
            return ResponseEntity.badRequest()
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "destinationId is required"));
        return scheduler
                .syncNow(workspaceId, request.destinationId(), request.sourceId())
                .<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> notFound("destination " + request.destinationId()));
    }

    @PostMapping("/{id}/retry")
    ResponseEntity<?> retry(@PathVariable long id, @RequestParam String workspaceId) {
        Upload upload =
                uploads.get(id).filter(u -> u.workspaceId().equals(workspaceId)).orElse(null);
        if (upload == null) return notFound("upload " + id);
        try {
            if (uploads.retry(id)) return ResponseEntity.ok(Map.of("id", id, "status", "waiting"));
            return conflict("only an aborted upload can be retried");
        } catch (DuplicateKeyException e) {
            return conflict("the destination has an unfinished upload; retry after it");
        }
    }

    private static ResponseEntity<?> notFound(String what) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, what + " not found"));
    }

    private static ResponseEntity<?> conflict(String detail) {
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail));
    }
}
