package dev.eventpipe.jobsdb;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The read side for people looking at the queues (event search, failed events, traces): records out, the SQL and
 * the table layout stay in jobsdb. None of it is on a hot path; {@link JobsDb} keeps the queue operations.
 */
public final class JobReads {
    // strpos narrows the scan to payloads holding the text; the caller checks the exact field on the parsed event
    private static final String CONTAINING = """
            SELECT %3$s, j.event_payload, ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
                   ls.error_response::text AS error_response, ls.first_attempted_at, ls.blocking_job_id
            FROM %1$s j
            LEFT\s""" + PostgresJobsDb.LATEST_STATUS + """
            WHERE strpos(j.event_payload, :text) > 0
              AND (CAST(:workspaceId AS text) IS NULL OR j.workspace_id = :workspaceId)
            ORDER BY j.job_id DESC
            LIMIT :limit""";

    /** The queue's jobs and the aborted ones kept after their dataset is gone, each job once. */
    private static final String WITH_MESSAGE_ID = """
            SELECT job_id, uuid, user_id, workspace_id, partition_id, custom_val, parameters::text AS parameters,
                   event_payload, event_count, payload_size, created_at, retained
            FROM (
                SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters,
                       j.event_payload, j.event_count, j.payload_size, j.created_at, false AS retained
                FROM %1$s j
                WHERE j.parameters->>'message_id' = :messageId
                  AND (CAST(:workspaceId AS text) IS NULL OR j.workspace_id = :workspaceId)
                  AND NOT EXISTS (SELECT 1 FROM %3$s k WHERE k.job_id = j.job_id)
                UNION ALL
                SELECT k.job_id, k.uuid, k.user_id, k.workspace_id, k.partition_id, k.custom_val, k.parameters,
                       k.event_payload, k.event_count, k.payload_size, k.created_at, true AS retained
                FROM %3$s k
                WHERE k.parameters->>'message_id' = :messageId
                  AND (CAST(:workspaceId AS text) IS NULL OR k.workspace_id = :workspaceId)) e
            ORDER BY job_id
            LIMIT :limit""";

    /** A kept status row has its queue id, so a job in both places (during a compaction) lists each row once. */
    private static final String STATUSES = """
            SELECT job_id, id, job_state, attempt, exec_time, retry_time, error_code,
                   error_response::text AS error_response, first_attempted_at, blocking_job_id
            FROM %2$s WHERE job_id IN (:jobIds)
            UNION
            SELECT job_id, id, job_state, attempt, exec_time, retry_time, error_code,
                   error_response::text AS error_response, first_attempted_at, blocking_job_id
            FROM %4$s WHERE job_id IN (:jobIds)
            ORDER BY job_id, id""";

    /**
     * Failed and aborted jobs still in the queue (found through the status table's partial index on those states,
     * kept if that state is still their latest), and the aborted jobs kept after their dataset was dropped or
     * compacted (V8). A job may be in both for a moment (kept by a compaction whose swap has not happened yet); it
     * is taken from the kept copy only, which holds the same rows (aborted is terminal, nothing is written after
     * it). One fixed statement: an unset filter is a NULL parameter, which the planner folds away in the plan it
     * makes for the call, so a set workspace still uses the kept jobs' (workspace_id, job_id) index.
     */
    private static final String FAILED = """
            SELECT e.job_id, e.workspace_id, e.user_id, e.custom_val, e.parameters::text AS parameters, e.created_at,
                   e.retained, e.job_state, e.attempt, e.exec_time, e.retry_time, e.error_code,
                   e.error_response::text AS error_response, e.first_attempted_at, e.blocking_job_id,
                   count(*) OVER () AS total
            FROM (
                SELECT j.job_id, j.workspace_id, j.user_id, j.custom_val, j.parameters, j.created_at, false AS retained,
                       ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code, ls.error_response,
                       ls.first_attempted_at, ls.blocking_job_id
                FROM %1$s j
            """ + PostgresJobsDb.LATEST_STATUS + """
                WHERE j.job_id IN (SELECT c.job_id FROM %2$s c WHERE c.job_state IN ('failed', 'aborted'))
                  AND NOT EXISTS (SELECT 1 FROM %3$s k WHERE k.job_id = j.job_id)
                UNION ALL
                -- a kept job's latest status is its aborted one, kept beside it (V10)
                SELECT k.job_id, k.workspace_id, k.user_id, k.custom_val, k.parameters, k.created_at, true AS retained,
                       'aborted' AS job_state, k.attempt, k.aborted_at AS exec_time, k.retry_time, k.error_code,
                       k.error_response, k.first_attempted_at, NULL::bigint AS blocking_job_id
                FROM %3$s k
            ) e
            WHERE e.job_state IN (:states)
              AND (CAST(:workspaceId AS text) IS NULL OR e.workspace_id = :workspaceId)
              AND (CAST(:destinationId AS text) IS NULL OR e.parameters->>'destination_id' = :destinationId)
              AND (CAST(:errorCode AS text) IS NULL OR e.error_code = :errorCode)
              AND (CAST(:from AS timestamptz) IS NULL OR e.exec_time >= :from)
              AND (CAST(:to AS timestamptz) IS NULL OR e.exec_time < :to)
              AND (CAST(:userId AS text) IS NULL OR e.user_id = :userId)
              AND (CAST(:errorText AS text) IS NULL OR e.error_response::text ILIKE :errorText ESCAPE '\\')
            ORDER BY e.job_id DESC
            LIMIT :limit OFFSET :offset""";

    /** One job, the kept copy first, as in the list. */
    private static final String JOB = """
            SELECT k.job_id, k.uuid, k.user_id, k.workspace_id, k.partition_id, k.custom_val,
                   k.parameters::text AS parameters, k.event_payload, k.event_count, k.payload_size, k.created_at,
                   true AS retained
            FROM %3$s k WHERE k.job_id = :jobId
            UNION ALL
            SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val,
                   j.parameters::text AS parameters, j.event_payload, j.event_count, j.payload_size, j.created_at,
                   false AS retained
            FROM %1$s j WHERE j.job_id = :jobId
              AND NOT EXISTS (SELECT 1 FROM %3$s k WHERE k.job_id = j.job_id)""";

    private static final String HISTORY = """
            SELECT job_state, attempt, exec_time, retry_time, error_code, error_response::text AS error_response,
                   first_attempted_at, blocking_job_id
            FROM %s WHERE job_id = :jobId ORDER BY id""";

    /**
     * Jobs by id with their latest status, from the queue or from the kept aborted jobs; a job in both (for a
     * moment, during a compaction) is read once, from the kept copy, whose latest status is the aborted one.
     */
    // the kept branch lists its columns in JOB_COLUMNS' order, then the payload, as the queue branch does
    private static final String BY_ID = """
            SELECT k.job_id, k.uuid, k.user_id, k.workspace_id, k.partition_id, k.custom_val,
                   k.parameters::text AS parameters, k.event_count, k.payload_size, k.created_at, k.event_payload,
                   'aborted' AS job_state, k.attempt, k.aborted_at AS exec_time, k.retry_time, k.error_code,
                   k.error_response::text AS error_response, k.first_attempted_at, NULL::bigint AS blocking_job_id
            FROM %3$s k WHERE k.job_id IN (:ids) AND (CAST(:workspaceId AS text) IS NULL OR k.workspace_id = :workspaceId)
            UNION ALL
            SELECT\s""" + PostgresJobsDb.JOB_COLUMNS + """
                   , j.event_payload, ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
                   ls.error_response::text AS error_response, ls.first_attempted_at, ls.blocking_job_id
            FROM %1$s j
            LEFT\s""" + PostgresJobsDb.LATEST_STATUS + """
            WHERE j.job_id IN (:ids) AND (CAST(:workspaceId AS text) IS NULL OR j.workspace_id = :workspaceId)
              AND NOT EXISTS (SELECT 1 FROM %3$s k WHERE k.job_id = j.job_id)
            ORDER BY job_id""";

    /** Of these ids, the jobs still in the queue whose latest state is not terminal (or that have none). */
    private static final String UNFINISHED = """
            SELECT j.job_id FROM %1$s j
            LEFT\s""" + PostgresJobsDb.LATEST_STATUS + """
            WHERE j.job_id IN (:ids) AND coalesce(ls.job_state, 'unprocessed') NOT IN (:terminal)""";

    /** A workspace's jobs with no terminal status row (a terminal status is final: one row decides). */
    private static final String PENDING = """
            SELECT count(*) AS pending, min(j.created_at) AS oldest
            FROM %1$s j
            WHERE j.workspace_id = :workspaceId
              AND NOT EXISTS (SELECT 1 FROM %2$s s WHERE s.job_id = j.job_id AND s.job_state IN (:terminal))""";

    private final JdbcClient jdbc;

    JobReads(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /**
     * The newest {@code limit} jobs of {@code queue} whose payload contains {@code text}, newest first, with their
     * latest status and payload; {@code workspaceId} narrows to one workspace when not null. Only jobs still held
     * are found: a dataset is dropped once all its jobs are done. A scan of the payloads, for search by people.
     */
    public List<Job> containing(Queue queue, String text, @Nullable String workspaceId, int limit) {
        return jdbc.sql(CONTAINING.formatted(queue.jobsTable(), queue.statusTable(), PostgresJobsDb.JOB_COLUMNS))
                .param("text", text)
                .param("workspaceId", workspaceId)
                .param("limit", limit)
                .query(PostgresJobsDb::job)
                .list();
    }

    /**
     * The jobs of {@code queue} for one event ({@code parameters.message_id}), oldest first, at most {@code limit},
     * each with every status row: the jobs still in the queue and the aborted ones kept after their dataset was
     * dropped or compacted. A queue that keeps no aborted jobs ({@link Queue#retainsAborted()}) is refused.
     */
    public List<JobHistory> withMessageId(Queue queue, String messageId, @Nullable String workspaceId, int limit) {
        record Row(Job job, boolean retained) {}
        List<Row> rows = jdbc.sql(retaining(queue, WITH_MESSAGE_ID))
                .param("messageId", messageId)
                .param("workspaceId", workspaceId)
                .param("limit", limit)
                .query((rs, n) -> new Row(PostgresJobsDb.job(rs, null), rs.getBoolean("retained")))
                .list();
        if (rows.isEmpty()) return List.of();
        Map<Long, List<JobStatus>> statuses =
                statuses(queue, rows.stream().map(r -> r.job().jobId()).toList());
        List<JobHistory> histories = new ArrayList<>(rows.size());
        for (Row row : rows) {
            List<JobStatus> history = statuses.getOrDefault(row.job().jobId(), List.of());
            Job job = row.job();
            if (!history.isEmpty()) job = job.withStatus(history.getLast());
            histories.add(new JobHistory(job, row.retained(), history));
        }
        return histories;
    }

    /**
     * Failed and aborted jobs of {@code queue} (their latest status is one of {@code filter.states()}), from the
     * queue and from the aborted jobs kept after their dataset is gone, newest first, one page.
     */
    public FailedJobPage failed(Queue queue, FailedJobFilter filter) {
        String errorText = filter.errorText() == null
                ? null
                : "%"
                        + filter.errorText()
                                .replace("\\", "\\\\")
                                .replace("%", "\\%")
                                .replace("_", "\\_") + "%";
        long[] total = {0};
        List<FailedJob> items = jdbc.sql(retaining(queue, FAILED))
                .param("states", filter.states().stream().map(JobState::dbName).toList())
                .param("workspaceId", filter.workspaceId())
                .param("destinationId", filter.destinationId())
                .param("errorCode", filter.errorCode())
                .param("from", filter.from() == null ? null : Timestamp.from(filter.from()))
                .param("to", filter.to() == null ? null : Timestamp.from(filter.to()))
                .param("userId", filter.userId())
                .param("errorText", errorText)
                .param("limit", filter.limit())
                .param("offset", filter.offset())
                .query((rs, n) -> {
                    total[0] = rs.getLong("total");
                    return new FailedJob(
                            rs.getLong("job_id"),
                            rs.getString("workspace_id"),
                            rs.getString("user_id"),
                            rs.getString("custom_val"),
                            rs.getString("parameters"),
                            rs.getTimestamp("created_at").toInstant(),
                            PostgresJobsDb.status(rs),
                            rs.getBoolean("retained"));
                })
                .list();
        return new FailedJobPage(total[0], items);
    }

    /**
     * One job of {@code queue} with its payload and every status row, oldest first: the kept copy when the job was
     * aborted and kept, else the job in the queue; empty when neither holds it.
     */
    public Optional<JobHistory> history(Queue queue, long jobId) {
        record Row(Job job, boolean retained) {}
        Optional<Row> row = jdbc.sql(retaining(queue, JOB))
                .param("jobId", jobId)
                .query((rs, n) -> new Row(PostgresJobsDb.job(rs, null), rs.getBoolean("retained")))
                .optional();
        return row.map(r -> {
            String table = r.retained() ? queue.failedStatusesTable() : queue.statusTable();
            List<JobStatus> statuses = jdbc.sql(HISTORY.formatted(table))
                    .param("jobId", jobId)
                    .query((rs, n) -> PostgresJobsDb.status(rs))
                    .list();
            Job job = statuses.isEmpty() ? r.job() : r.job().withStatus(statuses.getLast());
            return new JobHistory(job, r.retained(), statuses);
        });
    }

    /**
     * The jobs of {@code queue} with these ids, with payload and latest status, in id order: from the queue, or from
     * the aborted jobs kept after their dataset is gone. With {@code workspaceId}, only that workspace's jobs.
     */
    public List<Job> byIds(Queue queue, List<Long> ids, @Nullable String workspaceId) {
        if (ids.isEmpty()) return List.of();
        return jdbc.sql(retaining(queue, BY_ID))
                .param("ids", ids)
                .param("workspaceId", workspaceId)
                .query(PostgresJobsDb::job)
                .list();
    }

    /** Of these ids, those of jobs still in {@code queue} that are not finished: no status yet, or a non-terminal one. */
    public Set<Long> unfinished(Queue queue, List<Long> ids) {
        if (ids.isEmpty()) return Set.of();
        List<String> terminal = terminalStates();
        Set<Long> unfinished = new LinkedHashSet<>();
        // in slices, so a long list of ids stays within the bind parameters a statement may have
        for (int from = 0; from < ids.size(); from += 10_000) {
            unfinished.addAll(jdbc.sql(UNFINISHED.formatted(queue.jobsTable(), queue.statusTable()))
                    .param("ids", ids.subList(from, Math.min(ids.size(), from + 10_000)))
                    .param("terminal", terminal)
                    .query(Long.class)
                    .list());
        }
        return unfinished;
    }

    /**
     * How many jobs of {@code workspaceId} in {@code queue} are not finished (unprocessed, executing, failed or
     * waiting) and the oldest one's creation time: a scan of the workspace's jobs, for a health page, not for
     * frequent polling.
     */
    public PendingJobs pending(Queue queue, String workspaceId) {
        return jdbc.sql(PENDING.formatted(queue.jobsTable(), queue.statusTable()))
                .param("workspaceId", workspaceId)
                .param("terminal", terminalStates())
                .query((rs, n) -> {
                    Timestamp oldest = rs.getTimestamp("oldest");
                    return new PendingJobs(rs.getLong("pending"), oldest == null ? null : oldest.toInstant());
                })
                .single();
    }

    private static List<String> terminalStates() {
        return Arrays.stream(JobState.values())
                .filter(JobState::terminal)
                .map(JobState::dbName)
                .toList();
    }

    /** Every status row of these jobs, in the queue or kept, by job id, oldest first. */
    private Map<Long, List<JobStatus>> statuses(Queue queue, List<Long> jobIds) {
        Map<Long, List<JobStatus>> byJob = new LinkedHashMap<>();
        jdbc.sql(retaining(queue, STATUSES)).param("jobIds", jobIds).query(rs -> {
            byJob.computeIfAbsent(rs.getLong("job_id"), id -> new ArrayList<>()).add(PostgresJobsDb.status(rs));
        });
        return byJob;
    }

    /** %1$s jobs, %2$s statuses, %3$s kept jobs, %4$s kept statuses. */
    private static String retaining(Queue queue, String template) {
        if (!queue.retainsAborted()) throw new IllegalArgumentException(queue + " keeps no aborted jobs");
        return template.formatted(
                queue.jobsTable(), queue.statusTable(), queue.failedEventsTable(), queue.failedStatusesTable());
    }
}
