package dev.eventpipe.warehouse.archive;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The index of archive files ({@code wh_archive_files}), written in the commit that marks their jobs archived. */
public final class ArchiveFiles {
    /** One archive file. */
    public record ArchiveFile(
            String location,
            String workspaceId,
            String sourceId,
            Instant hour,
            long firstJobId,
            long lastJobId,
            int events,
            long bytes,
            Instant createdAt) {}

    // a file written again after a crash (same name, same first job) replaces its row
    private static final String UPSERT = """
            INSERT INTO wh_archive_files (location, workspace_id, source_id, hour, first_job_id, last_job_id, events, bytes)
            VALUES (:location, :workspaceId, :sourceId, :hour, :firstJobId, :lastJobId, :events, :bytes)
            ON CONFLICT (location) DO UPDATE SET last_job_id = excluded.last_job_id, events = excluded.events,
                bytes = excluded.bytes, created_at = now()""";

    private final JdbcClient jdbc;

    public ArchiveFiles(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    void record(ArchiveFile f) {
        jdbc.sql(UPSERT)
                .param("location", f.location())
                .param("workspaceId", f.workspaceId())
                .param("sourceId", f.sourceId())
                .param("hour", Timestamp.from(f.hour()))
                .param("firstJobId", f.firstJobId())
                .param("lastJobId", f.lastJobId())
                .param("events", f.events())
                .param("bytes", f.bytes())
                .update();
    }

    /** A workspace's files of a source for hours in [from, to), oldest first. */
    public List<ArchiveFile> list(String workspaceId, String sourceId, Instant from, Instant to, int limit) {
        return jdbc.sql("SELECT * FROM wh_archive_files WHERE workspace_id = :ws AND source_id = :s"
                        + " AND hour >= :from AND hour < :to ORDER BY hour, first_job_id LIMIT :limit")
                .param("ws", workspaceId)
                .param("s", sourceId)
                .param("from", Timestamp.from(ArchivePaths.hour(from)))
                .param("to", Timestamp.from(to))
                .param("limit", limit)
                .query((rs, i) -> new ArchiveFile(
                        rs.getString("location"),
                        rs.getString("workspace_id"),
                        rs.getString("source_id"),
                        rs.getTimestamp("hour").toInstant(),
                        rs.getLong("first_job_id"),
                        rs.getLong("last_job_id"),
                        rs.getInt("events"),
                        rs.getLong("bytes"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    /** Files of hours before the cutoff, for retention. */
    List<String> olderThan(Instant cutoff, int limit) {
        return jdbc.sql("SELECT location FROM wh_archive_files WHERE hour < :cutoff ORDER BY hour LIMIT :limit")
                .param("cutoff", Timestamp.from(cutoff))
                .param("limit", limit)
                .query(String.class)
                .list();
    }

    void forget(String location) {
        jdbc.sql("DELETE FROM wh_archive_files WHERE location = :l")
                .param("l", location)
                .update();
    }
}
