package dev.eventpipe.jobsdb;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link JobsDb} on PostgreSQL: COPY for writes, one ordered index walk for reads. See V1__job_queues.sql for the
 * tables. This file holds the four queue operations and their SQL, which read best side by side.
 */
final class PostgresJobsDb implements JobsDb {
    // Everything but the payload: the running byte sum decides which payloads are read at all (see BOUNDED).
    static final String JOB_COLUMNS = """
            j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
            j.event_count, j.payload_size, j.created_at""";

    // "No status row" is tested with a LATERAL probe, which keeps the plan an ordered walk of the jobs index with
    // one status-index probe per job: with LIMIT this beats the hash anti-join the planner would otherwise pick.
    private static final String UNPROCESSED = """
            SELECT %3$s, NULL AS job_state, 0 AS attempt, NULL::timestamptz AS exec_time,
                   NULL::timestamptz AS retry_time, '' AS error_code, '{}' AS error_response,
                   NULL::timestamptz AS first_attempted_at, NULL::bigint AS blocking_job_id
            FROM %1$s j
            LEFT JOIN LATERAL (SELECT 1 AS seen FROM %2$s s WHERE s.job_id = j.job_id LIMIT 1) st ON true
            WHERE j.job_id > :unprocessedAfter AND st.seen IS NULL
              %4$s
            ORDER BY j.job_id
            LIMIT :limit""";

    // A job's latest status row (the one with the highest id), as ls; the status table is %2$s, the job j. Every
    // query that needs "the state of a job" joins this one fragment (CrashRecovery, JobReads and the reads here).
    static final String LATEST_STATUS = """
            JOIN LATERAL (
                SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
                       s.first_attempted_at, s.blocking_job_id
                FROM %2$s s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
            """;

    // Failed and waiting jobs are found through the partial status index on those states (few rows), not by
    // walking every job, then kept only if that state is still their latest. retry_time is compared in SQL, so
    // jobs in backoff are not shipped to the caller. RETRYABLE_WHERE is left open for one more condition.
    private static final String RETRYABLE_WHERE = """
            SELECT %3$s, ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
                   ls.error_response::text AS error_response,
                   ls.first_attempted_at, ls.blocking_job_id
            FROM %1$s j
            """ + LATEST_STATUS + """
            WHERE j.job_id > :after
              AND j.job_id IN (SELECT s.job_id FROM %2$s s WHERE s.job_state IN ('failed', 'waiting'))
              AND (ls.job_state = 'waiting' OR (ls.job_state = 'failed' AND ls.retry_time <= :now))
            """;

    private static final String RETRYABLE = RETRYABLE_WHERE + """
              %4$s
            ORDER BY j.job_id
            LIMIT :limit""";

    // As RETRYABLE, but a job is left out while an earlier job of its user for the same destination is failed and
    // in backoff: it could not be delivered before that one anyway, and returning it on every read would fill the
    // read with jobs that only wait (a failing destination's backlog would hide every other job). The blockers are
    // found once per read, through the partial status index on failed rows.
    private static final String DELIVERABLE_RETRYABLE = """
            WITH backoff AS MATERIALIZED (
                SELECT j.workspace_id, j.user_id, coalesce(j.parameters->>'destination_id', '') AS destination_id,
                       min(j.job_id) AS job_id
                FROM %1$s j
            """ + LATEST_STATUS + """
                WHERE j.job_id IN (SELECT s.job_id FROM %2$s s WHERE s.job_state = 'failed')
                  AND ls.job_state = 'failed' AND ls.retry_time > :now
                  %4$s
                GROUP BY 1, 2, 3)
            """ + RETRYABLE_WHERE + """
              AND NOT EXISTS (
                  SELECT 1 FROM backoff b
                  WHERE b.workspace_id = j.workspace_id AND b.user_id = j.user_id
                    AND b.destination_id = coalesce(j.parameters->>'destination_id', '') AND b.job_id < j.job_id)
              %4$s
            ORDER BY j.job_id
            LIMIT :limit""";

    private static final String FETCH_UNPROCESSED = UNPROCESSED;

    // Newest first, for people watching what happens (live events); walks the jobs index backwards.
    private static final String RECENT = """
            SELECT %3$s, ls.job_state, coalesce(ls.attempt, 0) AS attempt, ls.exec_time, ls.retry_time,
                   coalesce(ls.error_code, '') AS error_code, coalesce(ls.error_response::text, '{}') AS error_response,
                   ls.first_attempted_at, ls.blocking_job_id
            FROM %1$s j
            LEFT\s""" + LATEST_STATUS + """
            WHERE j.job_id > :after
              %4$s
            ORDER BY j.job_id DESC
            LIMIT :limit""";

    private static final String FETCH_TO_PROCESS =
            "SELECT * FROM ((" + UNPROCESSED + ") UNION ALL (" + RETRYABLE + ")) u ORDER BY job_id LIMIT :limit";

    private static final String FETCH_DELIVERABLE = "SELECT * FROM ((" + UNPROCESSED + ") UNION ALL ("
            + DELIVERABLE_RETRYABLE + ")) u ORDER BY job_id LIMIT :limit";

    // Each dataset's jobs table has its primary key index, so this is one backward index step per dataset.
    // The jobs table is named before the status table on purpose: a writer opening a new dataset locks them in that
    // order (jobs partition, then status partition), and a reader locking them the other way round deadlocks with it.
    private static final String FIRST_UNRESOLVED = """
            SELECT DISTINCT ON (1, 2, 3)
                   j.workspace_id, coalesce(j.parameters->>'destination_id', '') AS destination_id, j.user_id,
                   j.job_id, (s.job_state = 'failed' AND s.retry_time > :now) AS in_backoff
            FROM %1$s j
            JOIN %2$s s ON s.job_id = j.job_id
            WHERE s.job_state IN ('failed', 'waiting')
              AND j.partition_id IN (:partitions)
              AND NOT EXISTS (SELECT 1 FROM %2$s n WHERE n.job_id = s.job_id AND n.id > s.id)
            ORDER BY 1, 2, 3, j.job_id""";

    private static final String LAST_JOB_ID = "SELECT coalesce(max(job_id), 0) FROM %1$s";

    // The byte limit, in SQL: a running sum of payload sizes over the picked rows (in the read's order) keeps the
    // prefix within :bytes (the first row always, so one oversized job cannot stall a reader), and only those
    // rows' payloads are read and sent. %1$s is the picking query, %2$s the jobs table, %3$s ASC or DESC.
    private static final String BOUNDED = """
            SELECT b.*, p.event_payload FROM (
                SELECT picked.*, sum(picked.payload_size) OVER w AS running_bytes, row_number() OVER w AS rn,
                       count(*) OVER () AS picked_count
                FROM (%1$s) picked
                WINDOW w AS (ORDER BY picked.job_id %3$s ROWS UNBOUNDED PRECEDING)) b
            JOIN %2$s p ON p.job_id = b.job_id
            WHERE b.running_bytes <= :bytes OR b.rn = 1
            ORDER BY b.job_id %3$s""";

    // Writer lock, a block of commit-ordered ids and the datasets they need, in one round trip (V4 migration).
    private static final String ALLOCATE_IDS = "SELECT jobsdb_allocate(:prefix, :n, :maxJobs, :lockKey)";

    private final Queue queue;
    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final TransactionTemplate tx;
    private final Datasets datasets;
    private final String fetchUnprocessedSql;
    private final String fetchToProcessSql;
    private final String fetchDeliverableSql;
    private final String firstUnresolvedSql;
    private final String lastJobIdSql;
    private final String recentSql;
    private final String copyJobsSql;
    private final String copyStatusSql;
    private final Counter stored;
    private final Counter fetched;
    private final Counter statuses;

    PostgresJobsDb(Queue queue, DataSource dataSource, Datasets datasets, MeterRegistry meters) {
        this.queue = queue;
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.datasets = datasets;
        this.fetchUnprocessedSql = bounded(FETCH_UNPROCESSED, queue, "ASC");
        this.fetchToProcessSql = bounded(FETCH_TO_PROCESS, queue, "ASC");
        this.fetchDeliverableSql = bounded(FETCH_DELIVERABLE, queue, "ASC");
        this.firstUnresolvedSql = FIRST_UNRESOLVED.formatted(queue.jobsTable(), queue.statusTable());
        this.lastJobIdSql = LAST_JOB_ID.formatted(queue.jobsTable());
        this.recentSql = bounded(RECENT, queue, "DESC");
        this.copyJobsSql = "COPY " + queue.jobsTable() + " (job_id, uuid, user_id, workspace_id, partition_id,"
                + " custom_val, parameters, event_payload, event_count, payload_size) FROM STDIN";
        this.copyStatusSql = "COPY " + queue.statusTable() + " (job_id, job_state, attempt, exec_time, retry_time,"
                + " error_code, error_response, parameters, first_attempted_at, blocking_job_id) FROM STDIN";
        this.stored = Counter.builder("jobsdb.jobs.stored")
                .tag("queue", queue.prefix())
                .register(meters);
        this.fetched = Counter.builder("jobsdb.jobs.fetched")
                .tag("queue", queue.prefix())
                .register(meters);
        this.statuses = Counter.builder("jobsdb.status.updates")
                .tag("queue", queue.prefix())
                .register(meters);
    }

    /** The read as a template whose one remaining {@code %1$s} takes the filters. */
    private static String bounded(String template, Queue queue, String order) {
        String picking = template.formatted(queue.jobsTable(), queue.statusTable(), JOB_COLUMNS, "%1$s");
        return BOUNDED.replace("%1$s", picking)
                .replace("%2$s", queue.jobsTable())
                .replace("%3$s", order);
    }

    @Override
    public Queue queue() {
        return queue;
    }

    @Override
    public List<Long> store(List<NewJob> jobs) {
        if (jobs.isEmpty()) return List.of();
        List<Long> ids = tx.execute(status -> {
            long first = jdbc.sql(ALLOCATE_IDS)
                    .param("prefix", queue.prefix())
                    .param("n", jobs.size())
                    .param("maxJobs", datasets.maxJobs())
                    .param("lockKey", queue.lockKey())
                    .query(Long.class)
                    .single();
            List<Long> allocated = new ArrayList<>(jobs.size());
            copy(copyJobsSql, rows -> {
                for (int i = 0; i < jobs.size(); i++) {
                    NewJob job = jobs.get(i);
                    long id = first + i;
                    allocated.add(id);
                    rows.number(id)
                            .text(job.uuid().toString())
                            .text(job.userId())
                            .text(job.workspaceId())
                            .number(UserPartition.of(job.userId()))
                            .text(job.customVal())
                            .text(JsonbText.safe(job.parameters()))
                            .text(job.payload())
                            .number(job.eventCount())
                            .number(CopyRows.utf8Length(job.payload()))
                            .endRow();
                }
            });
            return allocated;
        });
        stored.increment(jobs.size());
        return ids;
    }

    @Override
    public List<Job> fetchUnprocessed(JobQuery query) {
        return fetch(fetchUnprocessedSql, query, null);
    }

    @Override
    public List<Job> fetchToProcess(JobQuery query, Instant now) {
        return fetch(fetchToProcessSql, query, now);
    }

    @Override
    public JobPage fetchDeliverable(JobQuery query, Instant now) {
        return fetchPage(fetchDeliverableSql, query, now);
    }

    @Override
    public List<FirstUnresolved> firstUnresolved(Set<Integer> partitions, Instant now) {
        if (partitions.isEmpty()) return List.of();
        return jdbc.sql(firstUnresolvedSql)
                .param("now", Timestamp.from(now))
                .param("partitions", partitions)
                .query((rs, n) -> new FirstUnresolved(
                        rs.getString("workspace_id"),
                        rs.getString("destination_id"),
                        rs.getString("user_id"),
                        rs.getLong("job_id"),
                        rs.getBoolean("in_backoff")))
                .list();
    }

    @Override
    public long lastJobId() {
        Long last = jdbc.sql(lastJobIdSql).query(Long.class).single();
        return last == null ? 0 : last;
    }

    @Override
    public List<Job> fetchRecent(JobQuery query) {
        return fetch(recentSql, query, null);
    }

    private List<Job> fetch(String template, JobQuery query, @Nullable Instant now) {
        return fetchPage(template, query, now).jobs();
    }

    /** A bounded read, and whether its byte limit left out jobs the count limit would have taken (BOUNDED). */
    private JobPage fetchPage(String template, JobQuery query, @Nullable Instant now) {
        StringBuilder filters = new StringBuilder();
        if (query.customVal() != null) filters.append(" AND j.custom_val = :customVal");
        if (query.destinationId() != null) filters.append(" AND j.parameters->>'destination_id' = :destinationId");
        if (query.workspaceId() != null) filters.append(" AND j.workspace_id = :workspaceId");
        if (query.sourceId() != null) filters.append(" AND j.parameters->>'source_id' = :sourceId");
        if (!query.partitions().isEmpty()) filters.append(" AND j.partition_id IN (:partitions)");
        if (!query.excludedDestinations().isEmpty())
            filters.append(" AND coalesce(j.parameters->>'destination_id', '') NOT IN (:excludedDestinations)");
        JdbcClient.StatementSpec spec = jdbc.sql(template.formatted(filters))
                .param("after", query.afterJobId())
                .param("unprocessedAfter", Math.max(query.afterJobId(), query.unprocessedFloor()))
                .param("limit", query.limit())
                .param("bytes", query.payloadLimitBytes());
        if (now != null) spec = spec.param("now", java.sql.Timestamp.from(now));
        if (query.customVal() != null) spec = spec.param("customVal", query.customVal());
        if (query.destinationId() != null) spec = spec.param("destinationId", query.destinationId());
        if (query.workspaceId() != null) spec = spec.param("workspaceId", query.workspaceId());
        if (query.sourceId() != null) spec = spec.param("sourceId", query.sourceId());
        if (!query.partitions().isEmpty()) spec = spec.param("partitions", query.partitions());
        if (!query.excludedDestinations().isEmpty())
            spec = spec.param("excludedDestinations", query.excludedDestinations());
        long[] picked = {0};
        List<Job> jobs = spec.query((rs, row) -> {
                    picked[0] = rs.getLong("picked_count");
                    return job(rs, row);
                })
                .list();
        fetched.increment(jobs.size());
        return new JobPage(jobs, picked[0] > jobs.size());
    }

    @Override
    public void updateStatus(List<StatusUpdate> updates) {
        if (updates.isEmpty()) return;
        tx.executeWithoutResult(status -> copy(copyStatusSql, rows -> {
            for (StatusUpdate u : updates) {
                rows.number(u.jobId())
                        .text(u.state().dbName())
                        .number(u.attempt())
                        .time(u.execTime())
                        .time(u.retryTime())
                        .text(u.errorCode())
                        .text(JsonbText.safe(u.errorResponse()))
                        .text(JsonbText.safe(u.parameters()))
                        .timeOrNull(u.firstAttemptedAt())
                        .numberOrNull(u.blockingJobId())
                        .endRow();
            }
        }));
        statuses.increment(updates.size());
    }

    /** Writes the rows of one COPY, streamed; the COPY is cancelled if writing them fails. */
    private interface RowWriter {
        void write(CopyRows rows) throws SQLException;
    }

    private void copy(String sql, RowWriter writer) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try (CopyRows rows = CopyRows.open(connection, sql)) {
            writer.write(rows);
            rows.finish();
        } catch (SQLException e) {
            throw new JobsDbException("COPY into " + queue.prefix() + " failed", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    static Job job(ResultSet rs, int row) throws SQLException {
        return job(rs, rs.getString("job_state") == null ? null : status(rs));
    }

    /**
     * The status columns of a row ({@code job_state}, {@code attempt}, …, which must not be null, and the typed
     * {@code first_attempted_at} and {@code blocking_job_id}, which may be).
     */
    static JobStatus status(ResultSet rs) throws SQLException {
        Timestamp first = rs.getTimestamp("first_attempted_at");
        Long blocking = rs.getObject("blocking_job_id", Long.class);
        return new JobStatus(
                JobState.fromDb(rs.getString("job_state")),
                rs.getInt("attempt"),
                rs.getTimestamp("exec_time").toInstant(),
                rs.getTimestamp("retry_time").toInstant(),
                rs.getString("error_code"),
                rs.getString("error_response"),
                first == null ? null : first.toInstant(),
                blocking);
    }

    /** The job columns of a row, with the given status. */
    static Job job(ResultSet rs, @Nullable JobStatus status) throws SQLException {
        return new Job(
                rs.getLong("job_id"),
                rs.getObject("uuid", UUID.class),
                rs.getString("user_id"),
                rs.getString("workspace_id"),
                rs.getInt("partition_id"),
                rs.getString("custom_val"),
                rs.getString("parameters"),
                rs.getString("event_payload"),
                rs.getInt("event_count"),
                rs.getInt("payload_size"),
                rs.getTimestamp("created_at").toInstant(),
                status);
    }
}
