package dev.eventpipe.model.series;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A chart's time range, shared by the data-plane services' {@code /api/v1/stats/series} endpoints: {@code 1h} in 1-minute steps, {@code 24h} in 15-minute steps, {@code 7d} in 2-hour steps
 * (60, 96 and 84 points). Steps are aligned to the epoch, so two readers of one range get the same points.
 */
public record SeriesRange(String name, Instant from, Instant to, Duration step) {

    /** The range named {@code 1h}, {@code 24h} or {@code 7d} that ends with the step holding {@code now}. */
    public static SeriesRange of(String name, Instant now) {
        Duration length;
        Duration step;
        switch (name) {
            case "1h" -> {
                length = Duration.ofHours(1);
                step = Duration.ofMinutes(1);
            }
            case "24h" -> {
                length = Duration.ofHours(24);
                step = Duration.ofMinutes(15);
            }
            case "7d" -> {
                length = Duration.ofDays(7);
                step = Duration.ofHours(2);
            }
            default -> throw new IllegalArgumentException("range must be 1h, 24h or 7d");
        }
        Instant to = align(now, step).plus(step); // the current step is still filling: include it
        return new SeriesRange(name, to.minus(length), to, step);
    }

    private static Instant align(Instant t, Duration step) {
        long ms = step.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), ms) * ms);
    }

    /** The start of every step in the range, in order. */
    public List<Instant> points() {
        List<Instant> points = new ArrayList<>();
        for (Instant t = from; t.isBefore(to); t = t.plus(step)) points.add(t);
        return points;
    }

    /** The step as PostgreSQL reads an interval. */
    public String interval() {
        return step.toSeconds() + " seconds";
    }
}
