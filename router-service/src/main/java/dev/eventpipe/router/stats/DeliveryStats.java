package dev.eventpipe.router.stats;

import dev.eventpipe.jobsdb.JobState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Counts outcomes per destination (and its workspace) and minute in {@code router_delivery_stats}, with the
 * delivery latency histogram ({@code router_latency_stats}) and the error codes of failed and aborted attempts
 * ({@code router_error_stats}); called inside the status commit, so counts and statuses never disagree and in Micrometer: {@code router.deliveries{destination.type,result}} and
 * {@code router.delivery.latency{destination.type}} (HTTP request time of deliveries).
 */
@Component
public class DeliveryStats {
    private static final String UPSERT = """
            INSERT INTO router_delivery_stats (destination_id, destination_type, bucket, delivered, failed, aborted,
                                               filtered, latency_ms_sum, lag_ms_sum, workspace_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (destination_id, bucket) DO UPDATE SET
                workspace_id = excluded.workspace_id,
                delivered = router_delivery_stats.delivered + excluded.delivered,
                failed = router_delivery_stats.failed + excluded.failed,
                aborted = router_delivery_stats.aborted + excluded.aborted,
                filtered = router_delivery_stats.filtered + excluded.filtered,
                latency_ms_sum = router_delivery_stats.latency_ms_sum + excluded.latency_ms_sum,
                lag_ms_sum = router_delivery_stats.lag_ms_sum + excluded.lag_ms_sum""";
    private static final String UPSERT_LATENCY = """
            INSERT INTO router_latency_stats (destination_id, bucket, bin, workspace_id, count)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (destination_id, bucket, bin) DO UPDATE SET
                count = router_latency_stats.count + excluded.count""";
    private static final String UPSERT_ERROR = """
            INSERT INTO router_error_stats (destination_id, bucket, code, workspace_id, count)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (destination_id, bucket, code) DO UPDATE SET
                count = router_error_stats.count + excluded.count""";

    private final JdbcTemplate jdbc;
    private final MeterRegistry meters;
    // Each meter registered once: a lookup by builder for every outcome (its tags sorted, the registry searched) was
    // 2 % of the router's CPU samples in a whole-suite profile (issue 16). Destination types are few, so are these.
    private final Map<Result, Counter> deliveries = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();

    private record Result(String destinationType, JobState state) {}

    DeliveryStats(DataSource dataSource, MeterRegistry meters) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.meters = meters;
    }

    private record Bucket(String destinationId, Instant minute) {}

    /** A latency bin or an error code within a bucket; rows sort by it so committers lock in the same order. */
    private record Cell(String destinationId, Instant minute, String key, String workspaceId)
            implements Comparable<Cell> {
        @Override
        public int compareTo(Cell o) {
            int c = destinationId.compareTo(o.destinationId);
            if (c == 0) c = minute.compareTo(o.minute);
            return c != 0 ? c : key.compareTo(o.key);
        }
    }

    private static final class Counts {
        String type = "";
        String workspaceId = "";
        long delivered, failed, aborted, filtered, latencyMs, lagMs;
    }

    /** Adds the outcomes to their buckets; joins the caller's transaction. */
    public void record(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) return;
        Map<Bucket, Counts> buckets = new LinkedHashMap<>();
        Map<Cell, Long> latencies = new TreeMap<>();
        Map<Cell, Long> errors = new TreeMap<>();
        for (Outcome o : outcomes) {
            Instant minute = o.at().truncatedTo(ChronoUnit.MINUTES);
            Counts c = buckets.computeIfAbsent(new Bucket(o.destinationId(), minute), b -> new Counts());
            c.type = o.destinationType();
            c.workspaceId = o.workspaceId();
            switch (o.state()) {
                case SUCCEEDED -> c.delivered++;
                case FAILED -> c.failed++;
                case ABORTED -> c.aborted++;
                case FILTERED -> c.filtered++;
                case EXECUTING, WAITING -> {}
            }
            if (o.state() == JobState.FAILED || o.state() == JobState.ABORTED)
                errors.merge(new Cell(o.destinationId(), minute, o.errorCode(), o.workspaceId()), 1L, Long::sum);
            if (o.state() == JobState.SUCCEEDED) {
                // zero-padded, so the text order of the bins is their numeric order
                String bin = LatencyBins.label(LatencyBins.binOf(o.lag()));
                latencies.merge(new Cell(o.destinationId(), minute, bin, o.workspaceId()), 1L, Long::sum);
                c.lagMs += o.lag().toMillis();
                if (o.requestTime() != null) c.latencyMs += o.requestTime().toMillis();
            }
            meter(o);
        }
        List<Object[]> rows = new ArrayList<>();
        buckets.forEach((b, c) -> rows.add(new Object[] {
            b.destinationId(),
            c.type,
            java.sql.Timestamp.from(b.minute()),
            c.delivered,
            c.failed,
            c.aborted,
            c.filtered,
            c.latencyMs,
            c.lagMs,
            c.workspaceId
        }));
        // sorted so that concurrent committers lock bucket rows in the same order
        rows.sort((x, y) -> (x[0] + "" + x[2]).compareTo(y[0] + "" + y[2]));
        jdbc.batchUpdate(UPSERT, rows);
        if (!latencies.isEmpty()) jdbc.batchUpdate(UPSERT_LATENCY, cells(latencies, true));
        if (!errors.isEmpty()) jdbc.batchUpdate(UPSERT_ERROR, cells(errors, false));
    }

    private static List<Object[]> cells(Map<Cell, Long> counts, boolean numericKey) {
        List<Object[]> rows = new ArrayList<>(counts.size());
        counts.forEach((k, n) -> rows.add(new Object[] {
            k.destinationId(),
            java.sql.Timestamp.from(k.minute()),
            numericKey ? (Object) Short.valueOf(k.key()) : k.key(),
            k.workspaceId(),
            n
        }));
        return rows;
    }

    private void meter(Outcome o) {
        deliveries
                .computeIfAbsent(new Result(o.destinationType(), o.state()), this::counter)
                .increment();
        if (o.requestTime() != null && o.state() == JobState.SUCCEEDED)
            latencies.computeIfAbsent(o.destinationType(), this::timer).record(o.requestTime());
    }

    private Counter counter(Result r) {
        return Counter.builder("router.deliveries")
                .tag("destination.type", typeTag(r.destinationType()))
                .tag("result", r.state().name().toLowerCase(Locale.ROOT))
                .register(meters);
    }

    private Timer timer(String destinationType) {
        return Timer.builder("router.delivery.latency")
                .tag("destination.type", typeTag(destinationType))
                .register(meters);
    }

    private static String typeTag(String destinationType) {
        return destinationType.isEmpty() ? "unknown" : destinationType;
    }
}
