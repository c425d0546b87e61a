package dev.eventpipe.router.failed;

import dev.eventpipe.jobsdb.FailedJobFilter;
import dev.eventpipe.jobsdb.JobState;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
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
 * The failed-events API of the web app: list with filters, one job with every attempt, replay of a selection; each
 * of one workspace ({@code workspaceId} is required, {@code WorkspaceScopeFilter}).
 */
@RestController
@RequestMapping("/api/v1/failed-events")
class FailedEventsController {
    private static final int MAX_LIMIT = 500;
    private static final int MAX_REPLAY = 10_000;

    private final FailedEvents failedEvents;
    private final Replay replay;

    FailedEventsController(FailedEvents failedEvents, Replay replay) {
        this.failedEvents = failedEvents;
        this.replay = replay;
    }

    @GetMapping
    ResponseEntity<?> list(
            @RequestParam String workspaceId,
            @RequestParam(required = false) @Nullable String destinationId,
            @RequestParam(required = false) @Nullable String statusCode,
            @RequestParam(required = false) @Nullable Instant from,
            @RequestParam(required = false) @Nullable Instant to,
            @RequestParam(required = false) @Nullable String userId,
            @RequestParam(required = false) @Nullable String q,
            @RequestParam(required = false) @Nullable String state,
            @RequestParam(defaultValue = "50") int limit,
            @RequestParam(defaultValue = "0") int offset) {
        List<JobState> states;
        if (state == null || state.isBlank()) states = List.of(JobState.FAILED, JobState.ABORTED);
        else if (List.of("failed", "aborted").contains(state.toLowerCase(Locale.ROOT)))
            states = List.of(JobState.fromDb(state));
        else return problem(HttpStatus.BAD_REQUEST, "state must be failed or aborted");
        if (limit < 1 || limit > MAX_LIMIT || offset < 0)
            return problem(HttpStatus.BAD_REQUEST, "limit must be 1.." + MAX_LIMIT + " and offset at least 0");
        return ResponseEntity.ok(failedEvents.list(new FailedJobFilter(
                workspaceId,
                blankToNull(destinationId),
                blankToNull(statusCode),
                from,
                to,
                blankToNull(userId),
                blankToNull(q),
                states,
                limit,
                offset)));
    }

    /** A job of another workspace is answered as not found. */
    @GetMapping("/{jobId}")
    ResponseEntity<?> detail(@PathVariable long jobId, @RequestParam String workspaceId) {
        return failedEvents
                .detail(jobId)
                .filter(job -> workspaceId.equals(job.get("workspaceId")))
                .<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, "no rt job " + jobId));
    }

    record ReplayRequest(@Nullable List<Long> jobIds) {}

    /** Only that workspace's jobs are replayed; others are reported as not found. */
    @PostMapping("/replay")
    ResponseEntity<?> replay(@RequestBody ReplayRequest request, @RequestParam String workspaceId) {
        if (request.jobIds() == null || request.jobIds().isEmpty())
            return problem(HttpStatus.BAD_REQUEST, "jobIds must list at least one job id");
        if (request.jobIds().size() > MAX_REPLAY)
            return problem(HttpStatus.BAD_REQUEST, "at most " + MAX_REPLAY + " jobs per replay");
        Map<String, Object> result = replay.replay(request.jobIds(), workspaceId);
        return ResponseEntity.ok(result);
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
