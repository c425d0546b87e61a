package dev.eventpipe.router.stats;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/stats?workspaceId=&destinationId=&from=&to=}: per-minute buckets (default: the last hour) and
 * their totals, of one workspace: {@code workspaceId} is required ({@code WorkspaceScopeFilter}); the config
 * backend's relay sends the one it checked the caller's role in.
 * Average latencies are of delivered jobs: {@code latencyMsAvg} the HTTP request, {@code lagMsAvg} job creation to
 * delivery.
 */
@RestController
class StatsController {
    private static final String BUCKETS = """
            SELECT destination_id, destination_type, bucket, delivered, failed, aborted, filtered,
                   latency_ms_sum, lag_ms_sum
            FROM router_delivery_stats
            WHERE bucket >= :from AND bucket < :to
              AND workspace_id = :workspaceId
              AND (CAST(:destinationId AS text) IS NULL OR destination_id = :destinationId)
            ORDER BY bucket, destination_id""";

    private final JdbcClient jdbc;
    private final InstantSource clock;

    StatsController(DataSource dataSource, InstantSource clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.clock = clock;
    }

    @GetMapping("/api/v1/stats")
    Map<String, Object> stats(
            @RequestParam String workspaceId,
            @RequestParam(required = false) @Nullable String destinationId,
            @RequestParam(required = false) @Nullable Instant from,
            @RequestParam(required = false) @Nullable Instant to) {
        Instant end = to != null ? to : clock.instant().plusSeconds(60);
        Instant start = from != null ? from : end.minus(Duration.ofHours(1));
        var spec = jdbc.sql(BUCKETS)
                .param("from", Timestamp.from(start))
                .param("to", Timestamp.from(end))
                .param("workspaceId", workspaceId)
                .param("destinationId", blankToNull(destinationId));
        long[] totals = new long[6];
        List<Map<String, Object>> buckets = spec.query((rs, n) -> {
                    long delivered = rs.getLong("delivered");
                    Map<String, Object> b = new LinkedHashMap<>();
                    b.put("destinationId", rs.getString("destination_id"));
                    b.put("destinationType", rs.getString("destination_type"));
                    b.put("bucket", rs.getTimestamp("bucket").toInstant().toString());
                    b.put("delivered", delivered);
                    b.put("failed", rs.getLong("failed"));
                    b.put("aborted", rs.getLong("aborted"));
                    b.put("filtered", rs.getLong("filtered"));
                    b.put("latencyMsAvg", delivered == 0 ? null : rs.getLong("latency_ms_sum") / (double) delivered);
                    b.put("lagMsAvg", delivered == 0 ? null : rs.getLong("lag_ms_sum") / (double) delivered);
                    totals[0] += delivered;
                    totals[1] += rs.getLong("failed");
                    totals[2] += rs.getLong("aborted");
                    totals[3] += rs.getLong("filtered");
                    totals[4] += rs.getLong("latency_ms_sum");
                    totals[5] += rs.getLong("lag_ms_sum");
                    return b;
                })
                .list();
        Map<String, Object> total = new LinkedHashMap<>();
        total.put("delivered", totals[0]);
        total.put("failed", totals[1]);
        total.put("aborted", totals[2]);
        total.put("filtered", totals[3]);
        total.put("latencyMsAvg", totals[0] == 0 ? null : totals[4] / (double) totals[0]);
        total.put("lagMsAvg", totals[0] == 0 ? null : totals[5] / (double) totals[0]);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", start.toString());
        body.put("to", end.toString());
        body.put("buckets", buckets);
        body.put("totals", total);
        return body;
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
