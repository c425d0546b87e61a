package dev.eventpipe.warehouse.archive;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Replay requests ({@code wh_archive_replays}) and their progress. */
public final class ArchiveReplays {
    /** One replay: a source's archived events received in [from, to) sent again as new gw jobs. */
    public record Replay(
            long id,
            String workspaceId,
            String sourceId,
            Instant from,
            Instant to,
            String state,
            int files,
            long events,
            @Nullable String lastLocation,
            @Nullable String error,
            Instant createdAt,
            Instant updatedAt) {}

    private final JdbcClient jdbc;

    public ArchiveReplays(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public long create(String workspaceId, String sourceId, Instant from, Instant to) {
        return jdbc.sql("INSERT INTO wh_archive_replays (workspace_id, source_id, from_time, to_time)"
                        + " VALUES (:ws, :s, :from, :to) RETURNING id")
                .param("ws", workspaceId)
                .param("s", sourceId)
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .query(Long.class)
                .single();
    }

    public List<Replay> list(String workspaceId, int limit) {
        return jdbc.sql("SELECT * FROM wh_archive_replays WHERE workspace_id = :ws ORDER BY id DESC LIMIT :limit")
                .param("ws", workspaceId)
                .param("limit", limit)
                .query(ArchiveReplays::read)
                .list();
    }

    public Optional<Replay> get(long id) {
        return jdbc.sql("SELECT * FROM wh_archive_replays WHERE id = :id")
                .param("id", id)
                .query(ArchiveReplays::read)
                .optional();
    }

    /** Replays to work on: pending ones and ones a replica left running, oldest first. */
    List<Replay> unfinished() {
        return jdbc.sql("SELECT * FROM wh_archive_replays WHERE state IN ('pending', 'running') ORDER BY id")
                .query(ArchiveReplays::read)
                .list();
    }

    /** One file replayed: in the transaction that stored its gw jobs. */
    void fileDone(long id, String location, long events) {
        jdbc.sql("UPDATE wh_archive_replays SET state = 'running', files = files + 1, events = events + :events,"
                        + " last_location = :location, updated_at = now() WHERE id = :id")
                .param("id", id)
                .param("events", events)
                .param("location", location)
                .update();
    }

    void finish(long id, String state, @Nullable String error) {
        jdbc.sql("UPDATE wh_archive_replays SET state = :state, error = :error, updated_at = now(),"
                        + " finished_at = now() WHERE id = :id")
                .param("id", id)
                .param("state", state)
                .param("error", error)
                .update();
    }

    void noteError(long id, String error) {
        jdbc.sql("UPDATE wh_archive_replays SET error = :error, updated_at = now() WHERE id = :id")
                .param("id", id)
                .param("error", error)
                .update();
    }

    private static Replay read(ResultSet rs, int row) throws SQLException {
        return new Replay(
                rs.getLong("id"),
                rs.getString("workspace_id"),
                rs.getString("source_id"),
                rs.getTimestamp("from_time").toInstant(),
                rs.getTimestamp("to_time").toInstant(),
                rs.getString("state"),
                rs.getInt("files"),
                rs.getLong("events"),
                rs.getString("last_location"),
                rs.getString("error"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
