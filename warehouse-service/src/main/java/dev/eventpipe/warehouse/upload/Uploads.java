package dev.eventpipe.warehouse.upload;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The upload records ({@code wh_uploads}, {@code wh_upload_tables}) and the staging files they take. */
public final class Uploads {
    /** Staging files of one source and destination that no upload has taken yet. */
    public record Pending(
            String workspaceId, String sourceId, String destinationId, int files, long events, long maxFileId) {}

    private static final String PENDING = """
            SELECT min(workspace_id) AS workspace_id, source_id, destination_id, count(*) AS files,
                   sum(events) AS events, max(id) AS max_id
            FROM wh_staging_files WHERE upload_id IS NULL %s
            GROUP BY source_id, destination_id ORDER BY min(id)""";
    // The partial unique index allows one unfinished upload per pair: a second insert does nothing.
    private static final String CREATE = """
            INSERT INTO wh_uploads (workspace_id, source_id, destination_id, status, trigger, staging_files, events)
            VALUES (:workspaceId, :sourceId, :destinationId, 'waiting', :trigger, :files, :events)
            ON CONFLICT (source_id, destination_id) WHERE status IN ('waiting', 'exporting', 'failed') DO NOTHING
            RETURNING id""";
    private static final String TAKE_FILES = """
            UPDATE wh_staging_files SET upload_id = :id
            WHERE source_id = :sourceId AND destination_id = :destinationId AND upload_id IS NULL AND id <= :maxId""";
    private static final String START = """
            UPDATE wh_uploads SET status = 'exporting', attempts = attempts + 1, namespace = :namespace,
                   first_attempt_at = coalesce(first_attempt_at, now()),
                   load_ts = coalesce(load_ts, date_trunc('milliseconds', now())), updated_at = now()
            WHERE id = :id AND status IN ('waiting', 'failed', 'exporting')
            RETURNING *""";
    private static final String TABLE_STARTED = """
            INSERT INTO wh_upload_tables (upload_id, table_name, status, rows) VALUES (:id, :table, 'exporting', :rows)
            ON CONFLICT (upload_id, table_name) DO UPDATE
                SET status = 'exporting', rows = excluded.rows, error = NULL, updated_at = now()""";
    private static final String TABLE_LOADED = """
            UPDATE wh_upload_tables SET status = 'exported', rows = :rows, discards = :discards, updated_at = now()
            WHERE upload_id = :id AND table_name = :table""";
    private static final String FAILED = """
            UPDATE wh_uploads SET status = :status, last_error = :error, next_attempt_at = :next, updated_at = now(),
                   finished_at = CASE WHEN :status = 'aborted' THEN now() END
            WHERE id = :id""";
    private static final String TABLES_FAILED = """
            UPDATE wh_upload_tables SET status = 'failed', error = :error, updated_at = now()
            WHERE upload_id = :id AND status = 'exporting'""";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public Uploads(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    public List<Pending> pending() {
        return pendingWhere("", null, null);
    }

    public List<Pending> pending(String destinationId, @Nullable String sourceId) {
        return pendingWhere(
                "AND destination_id = :destinationId" + (sourceId == null ? "" : " AND source_id = :sourceId"),
                destinationId,
                sourceId);
    }

    private List<Pending> pendingWhere(String filter, @Nullable String destinationId, @Nullable String sourceId) {
        var spec = jdbc.sql(PENDING.formatted(filter));
        if (destinationId != null) spec = spec.param("destinationId", destinationId);
        if (sourceId != null) spec = spec.param("sourceId", sourceId);
        return spec.query((rs, i) -> new Pending(
                        rs.getString("workspace_id"),
                        rs.getString("source_id"),
                        rs.getString("destination_id"),
                        rs.getInt("files"),
                        rs.getLong("events"),
                        rs.getLong("max_id")))
                .list();
    }

    public Optional<Instant> lastCreatedAt(String sourceId, String destinationId) {
        return jdbc.sql("SELECT max(created_at) FROM wh_uploads WHERE source_id = :s AND destination_id = :d")
                .param("s", sourceId)
                .param("d", destinationId)
                .query(Timestamp.class)
                .optional()
                .map(Timestamp::toInstant);
    }

    /** Makes the pending files one upload; empty when the pair already has an unfinished upload. */
    public Optional<Long> create(Pending p, String trigger) {
        return Optional.ofNullable(tx.execute(status -> {
            Long id = jdbc.sql(CREATE)
                    .param("workspaceId", p.workspaceId())
                    .param("sourceId", p.sourceId())
                    .param("destinationId", p.destinationId())
                    .param("trigger", trigger)
                    .param("files", p.files())
                    .param("events", p.events())
                    .query(Long.class)
                    .optional()
                    .orElse(null);
            if (id == null) return null;
            jdbc.sql(TAKE_FILES)
                    .param("id", id)
                    .param("sourceId", p.sourceId())
                    .param("destinationId", p.destinationId())
                    .param("maxId", p.maxFileId())
                    .update();
            return id;
        }));
    }

    public Optional<Upload> open(String sourceId, String destinationId) {
        return jdbc.sql("SELECT * FROM wh_uploads WHERE source_id = :s AND destination_id = :d"
                        + " AND status IN ('waiting', 'exporting', 'failed')")
                .param("s", sourceId)
                .param("d", destinationId)
                .query(Upload::read)
                .optional();
    }

    /** Makes a waiting or failed upload due now ("sync now" while one is pending). */
    public boolean attemptNow(long id) {
        return jdbc.sql("UPDATE wh_uploads SET next_attempt_at = now(), updated_at = now()"
                                + " WHERE id = :id AND status IN ('waiting', 'failed')")
                        .param("id", id)
                        .update()
                > 0;
    }

    /** Unfinished uploads whose time has come, oldest first (exporting ones were left by a replica that died). */
    public List<Upload> due(int limit) {
        return jdbc.sql("SELECT * FROM wh_uploads WHERE status IN ('waiting', 'failed', 'exporting')"
                        + " AND next_attempt_at <= now() ORDER BY id LIMIT :limit")
                .param("limit", limit)
                .query(Upload::read)
                .list();
    }

    public Optional<Upload> get(long id) {
        return jdbc.sql("SELECT * FROM wh_uploads WHERE id = :id")
                .param("id", id)
                .query(Upload::read)
                .optional();
    }

    public List<String> stagingFiles(long uploadId) {
        return jdbc.sql("SELECT location FROM wh_staging_files WHERE upload_id = :id ORDER BY id")
                .param("id", uploadId)
                .query(String.class)
                .list();
    }

    public List<UploadTable> tables(long uploadId) {
        return jdbc.sql("SELECT * FROM wh_upload_tables WHERE upload_id = :id ORDER BY table_name")
                .param("id", uploadId)
                .query((rs, i) -> new UploadTable(
                        rs.getString("table_name"),
                        UploadStatus.fromDb(rs.getString("status")),
                        rs.getLong("rows"),
                        rs.getLong("discards"),
                        rs.getString("error"),
                        rs.getTimestamp("updated_at").toInstant()))
                .list();
    }

    public Set<String> exportedTables(long uploadId) {
        return new TreeSet<>(
                jdbc.sql("SELECT table_name FROM wh_upload_tables WHERE upload_id = :id AND status = 'exported'")
                        .param("id", uploadId)
                        .query(String.class)
                        .list());
    }

    /** A new attempt begins; returns the upload as it now is, or empty when it is no longer unfinished. */
    public Optional<Upload> startAttempt(long id, String namespace) {
        return jdbc.sql(START)
                .param("id", id)
                .param("namespace", namespace)
                .query(Upload::read)
                .optional();
    }

    public void tableStarted(long id, String table, long rows) {
        jdbc.sql(TABLE_STARTED)
                .param("id", id)
                .param("table", table)
                .param("rows", rows)
                .update();
    }

    public void tableLoaded(long id, String table, long rows, long discards) {
        jdbc.sql(TABLE_LOADED)
                .param("id", id)
                .param("table", table)
                .param("rows", rows)
                .param("discards", discards)
                .update();
    }

    public void exported(long id) {
        jdbc.sql("UPDATE wh_uploads SET status = 'exported', last_error = NULL, finished_at = now(),"
                        + " updated_at = now() WHERE id = :id")
                .param("id", id)
                .update();
    }

    public void failed(long id, String error, Instant nextAttempt, boolean aborted) {
        tx.executeWithoutResult(status -> {
            jdbc.sql(FAILED)
                    .param("id", id)
                    .param("status", aborted ? "aborted" : "failed")
                    .param("error", error)
                    .param("next", Timestamp.from(nextAttempt))
                    .update();
            jdbc.sql(TABLES_FAILED).param("id", id).param("error", error).update();
        });
    }

    /** An aborted upload tried again from the start of the retry rules; false when it is not aborted. */
    public boolean retry(long id) {
        return jdbc.sql("UPDATE wh_uploads SET status = 'waiting', attempts = 0, first_attempt_at = NULL,"
                                + " next_attempt_at = now(), finished_at = NULL, updated_at = now()"
                                + " WHERE id = :id AND status = 'aborted'")
                        .param("id", id)
                        .update()
                > 0;
    }

    /** Newest first, for the web app. Null filters mean any. */
    public List<Upload> list(
            String workspaceId,
            @Nullable String destinationId,
            @Nullable String sourceId,
            @Nullable String status,
            int limit,
            int offset) {
        StringBuilder sql = new StringBuilder("SELECT * FROM wh_uploads WHERE workspace_id = :ws");
        if (destinationId != null) sql.append(" AND destination_id = :d");
        if (sourceId != null) sql.append(" AND source_id = :s");
        if (status != null) sql.append(" AND status = :status");
        sql.append(" ORDER BY id DESC LIMIT :limit OFFSET :offset");
        var spec = jdbc.sql(sql.toString()).param("ws", workspaceId);
        if (destinationId != null) spec = spec.param("d", destinationId);
        if (sourceId != null) spec = spec.param("s", sourceId);
        if (status != null) spec = spec.param("status", status);
        return spec.param("limit", limit)
                .param("offset", offset)
                .query(Upload::read)
                .list();
    }
}
