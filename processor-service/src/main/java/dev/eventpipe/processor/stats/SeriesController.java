package dev.eventpipe.processor.stats;

import dev.eventpipe.model.series.SeriesRange;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
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
 * {@code GET /api/v1/stats/series?range=1h|24h|7d&workspaceId=&destinationId=}: the processor's side of the delivery
 * charts, one point per step ({@link SeriesRange}): received, filtered, transformation failed and transformed
 * (stored for the router). Without a destination, received counts the workspace's events and the others count per
 * destination (an event for two destinations counts twice). With one, received is what reached that destination's
 * stage (filtered + failed + transformed for it), not every event of the workspace.
 */
@RestController
class SeriesController {
    private static final String POINTS = """
            SELECT date_bin(CAST(:step AS interval), bucket, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t, stage,
                   sum(count) AS n
            FROM proc_stats
            WHERE bucket >= :from AND bucket < :to
              AND workspace_id = :workspaceId
              AND (CAST(:destinationId AS text) IS NULL OR destination_id = :destinationId)
            GROUP BY t, stage""";

    record Point(Instant time, long received, long filtered, long transformationFailed, long transformed) {}

    record Series(String range, Instant from, Instant to, long stepSeconds, List<Point> points) {}

    private static final class Counts {
        long received, filtered, failed, transformed;
    }

    private final JdbcClient jdbc;
    private final InstantSource clock = InstantSource.system();

    SeriesController(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
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
        boolean oneDestination = blankToNull(destinationId) != null;
        Map<Instant, Counts> found = new HashMap<>();
        jdbc.sql(POINTS)
                .param("step", r.interval())
                .param("from", Timestamp.from(r.from()))
                .param("to", Timestamp.from(r.to()))
                .param("workspaceId", workspaceId)
                .param("destinationId", blankToNull(destinationId))
                .query(rs -> {
                    Counts c = found.computeIfAbsent(rs.getTimestamp("t").toInstant(), t -> new Counts());
                    long n = rs.getLong("n");
                    switch (rs.getString("stage")) {
                        case "received" -> c.received += n;
                        case "filtered" -> c.filtered += n;
                        case "transformation_failed" -> c.failed += n;
                        case "stored" -> c.transformed += n;
                        default -> {}
                    }
                });
        List<Point> points = new ArrayList<>();
        for (Instant t : r.points()) {
            Counts c = found.getOrDefault(t, new Counts());
            long received = oneDestination ? c.filtered + c.failed + c.transformed : c.received;
            points.add(new Point(t, received, c.filtered, c.failed, c.transformed));
        }
        return new Series(r.name(), r.from(), r.to(), r.step().toSeconds(), points);
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
