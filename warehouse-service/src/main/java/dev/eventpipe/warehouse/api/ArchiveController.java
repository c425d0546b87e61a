package dev.eventpipe.warehouse.api;

import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.warehouse.archive.ArchiveFiles;
import dev.eventpipe.warehouse.archive.ArchiveLoop;
import dev.eventpipe.warehouse.archive.ArchiveReplays;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The archive of a workspace's sources: the files written (from the index), replays of a source's archive for a
 * time range, and (for operators) writing the archive now instead of at the end of the hour.
 */
@RestController
@RequestMapping("/api/v1/warehouse/archive")
class ArchiveController {
    private static final Duration MAX_RANGE = Duration.ofDays(31);

    record ReplayRequest(
            @Nullable String sourceId,
            @Nullable String from,
            @Nullable String to) {}

    private final ArchiveFiles files;
    private final ArchiveReplays replays;
    private final ArchiveLoop loop;
    private final WorkspaceConfigClient config;

    ArchiveController(ArchiveFiles files, ArchiveReplays replays, ArchiveLoop loop, WorkspaceConfigClient config) {
        this.files = files;
        this.replays = replays;
        this.loop = loop;
        this.config = config;
    }

    @GetMapping("/files")
    ResponseEntity<?> files(
            @RequestParam String workspaceId,
            @RequestParam String sourceId,
            @RequestParam String from,
            @RequestParam String to,
            @RequestParam(defaultValue = "500") int limit) {
        Instant start;
        Instant end;
        try {
            start = Instant.parse(from);
            end = Instant.parse(to);
        } catch (DateTimeParseException e) {
            return problem(HttpStatus.BAD_REQUEST, "from and to must be ISO-8601 instants");
        }
        return ResponseEntity.ok(
                Map.of("files", files.list(workspaceId, sourceId, start, end, Math.clamp(limit, 1, 5000))));
    }

    @GetMapping("/replays")
    Map<String, Object> replays(@RequestParam String workspaceId) {
        return Map.of("replays", replays.list(workspaceId, 100));
    }

    @PostMapping("/replays")
    ResponseEntity<?> replay(@RequestParam String workspaceId, @RequestBody ReplayRequest request) {
        if (request.sourceId() == null || request.from() == null || request.to() == null)
            return problem(HttpStatus.BAD_REQUEST, "sourceId, from and to are required");
        Instant from;
        Instant to;
        try {
            from = Instant.parse(request.from());
            to = Instant.parse(request.to());
        } catch (DateTimeParseException e) {
            return problem(HttpStatus.BAD_REQUEST, "from and to must be ISO-8601 instants");
        }
        if (!from.isBefore(to)) return problem(HttpStatus.BAD_REQUEST, "from must be before to");
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0)
            return problem(HttpStatus.BAD_REQUEST, "a replay covers at most 31 days");
        if (!sourceOf(workspaceId, request.sourceId()))
            return problem(HttpStatus.NOT_FOUND, "source " + request.sourceId() + " not found");
        long id = replays.create(workspaceId, request.sourceId(), from, to);
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", id, "state", "pending"));
    }

    /** Writes every pending archived event now, hours not over yet included (operators, tests). */
    @PostMapping("/flush")
    ResponseEntity<?> flush() throws IOException {
        return ResponseEntity.ok(Map.of("archived", loop.runOnce(true)));
    }

    private boolean sourceOf(String workspaceId, String sourceId) {
        // that workspace's own config only: a data plane may serve every workspace
        return config.current()
                .workspace(workspaceId)
                .map(ws -> ws.sources().stream().anyMatch(s -> s.id().equals(sourceId)))
                .orElse(false);
    }

    private static ResponseEntity<?> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
