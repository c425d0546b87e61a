package dev.eventpipe.router.stats;

import dev.eventpipe.model.series.SeriesRange;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /api/v1/stats/series?range=1h|24h|7d&workspaceId=&destinationId=}: the router's side of the delivery
 * charts. One point per step ({@link SeriesRange}) with delivered, retrying (failed attempts that will be tried
 * again), aborted and filtered counts; the delivery latency percentiles of the range (rt job created → the
 * destination's 2xx, from the histograms); and the ten most frequent error codes of failed and aborted attempts
 * with their share of all of them. Of one workspace ({@code workspaceId} is required, {@code WorkspaceScopeFilter}).
 */
@RestController
class SeriesController {
    // date_bin puts each minute row into its step; the origin is the epoch, as SeriesRange aligns steps
    private static final String FILTER = """
            WHERE bucket >= :from AND bucket < :to
              AND workspace_id = :workspaceId
              AND (CAST(:destinationId AS text) IS NULL OR destination_id = :destinationId)""";
    private static final String POINTS = """
            SELECT date_bin(CAST(:step AS interval), bucket, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t,
                   sum(delivered) AS delivered, sum(failed) AS failed, sum(aborted) AS aborted,
                   sum(filtered) AS filtered
            FROM router_delivery_stats
            """ + FILTER + """

            GROUP BY t""";
    private static final String LATENCY = """
            SELECT bin, sum(count) AS n FROM router_latency_stats
            """ + FILTER + """

            GROUP BY bin""";
    private static final String ERRORS = """
            SELECT code, sum(count) AS n, sum(sum(count)) OVER () AS total FROM router_error_stats
            """ + FILTER + """

            GROUP BY code ORDER BY n DESC, code LIMIT 10""";

    record Point(Instant time, long delivered, long retrying, long aborted, long filtered) {}

    record Latency(
            long deliveries,
            @Nullable Double p50,
            @Nullable Double p95,
            @Nullable Double p99) {}

    record ErrorCode(String code, long count, double share) {}

    record Series(
            String range,
            Instant from,
            Instant to,
            long stepSeconds,
            List<Point> points,
            Latency latency,
            List<ErrorCode> errors) {}

    private final JdbcClient jdbc;
    private final InstantSource clock;

    SeriesController(DataSource dataSource, InstantSource clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.clock = clock;
    }

    @GetMapping("/api/v1/stats/series")
    Series series(
            @RequestParam(defaultValue = "1h") String range,
            @RequestParam String workspaceId,
            @RequestParam(required = false) @Nullable String destinationId) {
        SeriesRange r;
        try {
            r = SeriesRange.of(range, clock.instant());
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("from", Timestamp.from(r.from()));
        params.put("to", Timestamp.from(r.to()));
        params.put("workspaceId", workspaceId);
        params.put("destinationId", blankToNull(destinationId));
        return new Series(
                r.name(), r.from(), r.to(), r.step().toSeconds(), points(r, params), latency(params), errors(params));
    }

    private List<Point> points(SeriesRange r, Map<String, Object> params) {
        Map<Instant, Point> found = new LinkedHashMap<>();
        jdbc.sql(POINTS).params(params).param("step", r.interval()).query(rs -> {
            Instant t = rs.getTimestamp("t").toInstant();
            found.put(
                    t,
                    new Point(
                            t,
                            rs.getLong("delivered"),
                            rs.getLong("failed"),
                            rs.getLong("aborted"),
                            rs.getLong("filtered")));
        });
        List<Point> points = new ArrayList<>();
        for (Instant t : r.points()) points.add(found.getOrDefault(t, new Point(t, 0, 0, 0, 0)));
        return points;
    }

    private Latency latency(Map<String, Object> params) {
        long[] counts = new long[LatencyBins.count()];
        jdbc.sql(LATENCY).params(params).query(rs -> {
            int bin = rs.getInt("bin");
            if (bin >= 0 && bin < counts.length) counts[bin] += rs.getLong("n");
        });
        long deliveries = 0;
        for (long c : counts) deliveries += c;
        return new Latency(
                deliveries,
                LatencyBins.percentile(counts, 0.50),
                LatencyBins.percentile(counts, 0.95),
                LatencyBins.percentile(counts, 0.99));
    }

    private List<ErrorCode> errors(Map<String, Object> params) {
        return jdbc.sql(ERRORS)
                .params(params)
                .query((rs, n) -> new ErrorCode(
                        rs.getString("code"), rs.getLong("n"), rs.getLong("n") / (double) rs.getLong("total")))
                .list();
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
