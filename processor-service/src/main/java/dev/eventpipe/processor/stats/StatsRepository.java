package dev.eventpipe.processor.stats;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@code proc_stats}: per-minute counts, added to inside the store transaction, read by the stats API. */
@Component
public class StatsRepository {
    private static final String UPSERT = """
            INSERT INTO proc_stats (bucket, workspace_id, source_id, destination_id, stage, count)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (bucket, workspace_id, source_id, destination_id, stage)
            DO UPDATE SET count = proc_stats.count + excluded.count""";
    private static final String READ = """
            SELECT bucket, workspace_id, source_id, destination_id, stage, count FROM proc_stats
            WHERE bucket >= :from AND bucket < :to
              AND (CAST(:workspaceId AS text) IS NULL OR workspace_id = :workspaceId)
              AND (CAST(:sourceId AS text) IS NULL OR source_id = :sourceId)
              AND (CAST(:destinationId AS text) IS NULL OR destination_id = :destinationId OR destination_id = '')
            ORDER BY bucket, workspace_id, source_id, destination_id, stage""";

    private static final String DELETE_BEFORE = """
            DELETE FROM proc_stats WHERE ctid IN (SELECT ctid FROM proc_stats WHERE bucket < :cutoff LIMIT :limit)""";

    /** One row of the table. */
    public record Row(
            Instant bucket, String workspaceId, String sourceId, String destinationId, String stage, long count) {}

    private final JdbcTemplate jdbcTemplate;
    private final JdbcClient jdbc;

    public StatsRepository(DataSource dataSource) {
        this.jdbcTemplate = new JdbcTemplate(dataSource);
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** In the caller's transaction: adds the counts to the minute of {@code now}. */
    public void add(StageCounts counts, Instant now) {
        if (counts.asMap().isEmpty()) return;
        Timestamp bucket = Timestamp.from(now.truncatedTo(ChronoUnit.MINUTES));
        List<Object[]> rows = new ArrayList<>();
        for (Map.Entry<StageCounts.Key, Long> e : counts.asMap().entrySet()) {
            StageCounts.Key k = e.getKey();
            rows.add(new Object[] {
                bucket,
                k.workspaceId(),
                k.sourceId(),
                k.destinationId(),
                k.stage().dbName(),
                e.getValue()
            });
        }
        jdbcTemplate.batchUpdate(UPSERT, rows);
    }

    /** Deletes up to {@code limit} rows of buckets before {@code cutoff} (retention); returns how many. */
    public int deleteBefore(Instant cutoff, int limit) {
        return jdbc.sql(DELETE_BEFORE)
                .param("cutoff", Timestamp.from(cutoff))
                .param("limit", limit)
                .update();
    }

    /**
     * Rows in [from, to). With a destination, per-source rows (destination '') of the matching sources are kept,
     * since received and deduplicated are counted before an event has a destination. With a workspace, only its
     * rows.
     */
    public List<Row> read(
            Instant from,
            Instant to,
            @Nullable String workspaceId,
            @Nullable String sourceId,
            @Nullable String destinationId) {
        return jdbc.sql(READ)
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .param("workspaceId", workspaceId)
                .param("sourceId", sourceId)
                .param("destinationId", destinationId)
                .query((rs, n) -> new Row(
                        rs.getTimestamp(1).toInstant(),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getLong(6)))
                .list();
    }
}
