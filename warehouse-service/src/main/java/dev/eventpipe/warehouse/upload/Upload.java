package dev.eventpipe.warehouse.upload;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One upload as stored in {@code wh_uploads}. */
public record Upload(
        long id,
        String workspaceId,
        String sourceId,
        String destinationId,
        String namespace,
        UploadStatus status,
        String trigger,
        int stagingFiles,
        long events,
        int attempts,
        Instant nextAttemptAt,
        @Nullable Instant firstAttemptAt,
        @Nullable Instant loadTs,
        @Nullable String lastError,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant finishedAt) {

    static Upload read(ResultSet rs, int row) throws SQLException {
        return new Upload(
                rs.getLong("id"),
                rs.getString("workspace_id"),
                rs.getString("source_id"),
                rs.getString("destination_id"),
                rs.getString("namespace"),
                UploadStatus.fromDb(rs.getString("status")),
                rs.getString("trigger"),
                rs.getInt("staging_files"),
                rs.getLong("events"),
                rs.getInt("attempts"),
                rs.getTimestamp("next_attempt_at").toInstant(),
                instant(rs.getTimestamp("first_attempt_at")),
                instant(rs.getTimestamp("load_ts")),
                rs.getString("last_error"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                instant(rs.getTimestamp("finished_at")));
    }

    private static @Nullable Instant instant(@Nullable Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
