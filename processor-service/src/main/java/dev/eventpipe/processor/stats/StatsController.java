package dev.eventpipe.processor.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/stats?workspaceId=&sourceId=&destinationId=&from=&to=}: the per-minute funnel counts for the
 * web app, of one workspace: {@code workspaceId} is required ({@code WorkspaceScopeFilter}); the config backend's
 * relay sends the one it checked the caller's role in.
 * {@code from}/{@code to} are ISO-8601 instants (default: the last hour); the answer lists the rows and the
 * totals per stage.
 */
@RestController
class StatsController {
    record StatsResponse(Instant from, Instant to, Map<String, Long> totals, List<StatsRepository.Row> buckets) {}

    private final StatsRepository repository;

    StatsController(StatsRepository repository) {
        this.repository = repository;
    }

    @GetMapping("/api/v1/stats")
    StatsResponse stats(
            @RequestParam String workspaceId,
            @RequestParam(required = false) @Nullable String sourceId,
            @RequestParam(required = false) @Nullable String destinationId,
            @RequestParam(required = false) @Nullable Instant from,
            @RequestParam(required = false) @Nullable Instant to) {
        Instant end = to == null ? Instant.now() : to;
        Instant start = from == null ? end.minus(Duration.ofHours(1)) : from;
        List<StatsRepository.Row> rows =
                repository.read(start, end, workspaceId, blank(sourceId), blank(destinationId));
        Map<String, Long> totals = new TreeMap<>();
        for (Stage s : Stage.values()) totals.put(s.dbName(), 0L);
        for (StatsRepository.Row r : rows) totals.merge(r.stage(), r.count(), Long::sum);
        return new StatsResponse(start, end, totals, rows);
    }

    private static @Nullable String blank(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
