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

    // Unprocessed jobs are read window by window: a window is the next :window jobs above the read position in
    // job id order (filters the planner estimates well, partitions, custom_val and a reader's own users, inside it;
    // every other filter outside), and of those the ones with no status row, held users left out. A window is a walk
    // of the primary key with a LIMIT (WINDOW_OF_ALL; of each user's jobs in the (workspace_id, user_id, job_id)
    // index for a read of a few users, WINDOW_OF_USERS), a plan the planner has no reason to change, and the status
    // probe is made only for the window's rows. (One statement ORDER BY job_id LIMIT n over "has no status" made
    // PostgreSQL sort every
    // job above the read position whenever it misjudged how many have no status: 1.3-5.3 s per read over 300,000
    // jobs in the storage soak, jobsdb/figures/pickup.) Every row of a window is materialized (with its parameters;
    // the payload is inline in the row, ~1.3 kB wide in the benchmark, so each costs heap pages) and probed, whatever
    // the read needs, so the reader sizes each window (unprocessed()): the first to the jobs it still wants plus a
    // little slack, since at the head of a queue nearly every row above the position has no status; each next one to
    // what is still wanted at the rate the windows so far kept, growing at most WINDOW_GROWTH times after a full
    // window (one that kept too few), up to JobQuery.window() (issue 16: every window was 4 x limit rows, so a read
    // from a backlog took 4 rows per job it returned; jobsdb README "Windows sized per read"), and a read with a byte
    // limit stops once the jobs it found pass it. A capped read (JobQuery.walkingAtMost) also bounds
    // each window to :span (JobQuery.window()) consecutive ids from the first stored id above the position (%6$s),
    // however few rows it asks for, so a window costs at most :window rows whatever the filters keep, and a range of
    // dropped datasets costs nothing; its last window allowed by the cap is always the largest. The first row
    // always carries the window's last id and size, the first stored id above the position and the last stored id,
    // even when no job of the window qualifies (then its job columns are null), so the caller knows where to go on
    // from. All of it is one statement, so one snapshot: every id at or below last_id that will ever exist is in it.
    // (That rests on every writer of a queue holding jobsdb_allocate's advisory lock from id allocation to commit,
    // see the JobsDb javadoc; a writer that does not, a bulk import or a replay by SQL, would break the floors.)
    private static final String UNPROCESSED_WINDOW = """
            WITH b AS (
                SELECT (SELECT min(f.job_id) FROM %1$s f WHERE f.job_id > :after) AS first_id,
                       (SELECT max(l.job_id) FROM %1$s l) AS last_id),
            w AS MATERIALIZED (%7$s)
            SELECT e.window_end, e.window_rows, b.first_id, b.last_id, x.*
            FROM (SELECT max(job_id) AS window_end, count(*) AS window_rows FROM w) e
            CROSS JOIN b
            LEFT JOIN LATERAL (
                SELECT j.*
                FROM w j
                LEFT JOIN LATERAL (SELECT 1 AS seen FROM %2$s s WHERE s.job_id = j.job_id LIMIT 1) st ON true
                WHERE st.seen IS NULL %5$s
                ORDER BY j.job_id
                LIMIT :limit) x ON true""";

    // The window of a read of every user (%7$s of UNPROCESSED_WINDOW): a walk of the primary key.
    private static final String WINDOW_OF_ALL = """
                SELECT %3$s
                FROM %1$s j
                WHERE j.job_id > :after %6$s %4$s
                ORDER BY j.job_id
                LIMIT :window""";

    // The window of a read of a few users only (JobQuery.ofUsers; the router's catch-up reads): the same rows as
    // WINDOW_OF_ALL with the users' filter inside it (the next :window jobs of these users above the read position,
    // within the span when capped), found per user through the rt_jobs (workspace_id, user_id, job_id) index (V16):
    // each user's first :window jobs in job id order, merged by job id and cut to :window. The window's jobs are among
    // them (a job in it is preceded in it by every earlier job of its user), and a user is one (workspace, user) pair
    // once (GROUP BY), so no job comes twice. A user's jobs at or below its own position (JobQuery.ofUsers with
    // positions; 0 without) are not taken at all: the caller knows each has a status (issue 16: the router's catch-up
    // reads started every user at the lowest position of them all, and probed the status of the others' rows between).
    // The primary-key walk reads every user's rows of the span to keep these
    // users' (99 of the 106 s the router's rt reads took in a whole-suite benchmark, docs/performance.md); this reads
    // theirs, one index descent per user and dataset, and a heap page per row. Written per user, not as an IN with the
    // index there, because with an IN PostgreSQL keeps the walk from 25 users on, where the per-user read is still
    // 2-4 times cheaper (jobsdb README, "Indexes"). For many users (more than one per USER_IDS ids of the largest
    // window) the walk is as cheap or cheaper, so they keep WINDOW_OF_ALL with the filter inside it (unprocessed()).
    private static final String WINDOW_OF_USERS = """
                SELECT j.*
                FROM (SELECT o.w, o.u, min(o.p) AS p
                      FROM unnest(CAST(:onlyWorkspaces AS text[]), CAST(:onlyUsers AS text[]),
                                  CAST(:onlyAbove AS bigint[])) AS o(w, u, p)
                      GROUP BY o.w, o.u) o
                CROSS JOIN LATERAL (
                    SELECT %3$s
                    FROM %1$s j
                    WHERE j.workspace_id = o.w AND j.user_id = o.u AND j.job_id > greatest(:after, o.p) %6$s %4$s
                    ORDER BY j.job_id
                    LIMIT :window) j
                ORDER BY j.job_id
                LIMIT :window""";

    // A read of some users takes its windows per user (WINDOW_OF_USERS) when it has at most one user per this many ids
    // of its largest window, JobQuery.window() (62 users for the router's windows of 4,000 ids; the id span a capped
    // read's window walks, whatever rows a smaller window asks for): measured over rt shaped like the benchmark's
    // (192 users, 1.1 kB rows), per user was 10-20 times cheaper for 1-5 users, 2-4 times for 25, even at 50 and
    // 1.3-2 times dearer for 150-192 (every user of the span), jobsdb README "Indexes".
    static final int USER_IDS = 64;

    // The id span of a capped read's window (see UNPROCESSED_WINDOW): the largest window's ids, whatever the rows it
    // asks for, so a capped read walks past finished or dropped ids as far per window as with the largest window.
    private static final String SPAN = "AND j.job_id < (SELECT b.first_id FROM b) + :span";

    // Rows of slack in a window beyond the jobs the read still wants (at least; an eighth of them when that is more):
    // a few rows of the window may have a status or be filtered out, and another statement for them would cost a
    // round trip, a plan and its own lookups of the first and last ids.
    static final int WINDOW_SLACK = 16;

    // How many times larger than the last one a window may be (see UNPROCESSED_WINDOW): a read that keeps nothing
    // walks in windows of the largest size (20,000 at most) by its seventh window, from the smallest (17 rows).
    static final int WINDOW_GROWTH = 4;

    // A job's latest status row (the one with the highest id), as ls; the status table is %2$s, the job j. Every
    // query that needs "the state of a job" joins this one fragment (CrashRecovery, JobReads and the reads here).
    static final String LATEST_STATUS = """
            JOIN LATERAL (
                SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
                       s.first_attempted_at, s.blocking_job_id
                FROM %2$s s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
            """;

    // Failed and waiting jobs: their ids come from the partial status index on those states (an array built once,
    // so the jobs are then found by primary key, never by walking the jobs), kept only if that state is still their
    // latest. Per user and destination (the key whose order the router keeps), a job is left out when an earlier
    // job of its key is failed and in backoff: it could not go before that one anyway. A held user's key returns
    // only its first unresolved job. retry_time is compared in SQL, so jobs in backoff are not shipped. The cost is
    // the failed/waiting status rows and their distinct jobs, never the jobs of a destination.
    // The jobs table is named before the status table (see FIRST_UNRESOLVED). %4$s filters on j, %5$s the held users.
    private static final String RETRYABLE = """
            WITH latest AS MATERIALIZED (
                SELECT %3$s, coalesce(j.parameters->>'destination_id', '') AS key_destination,
                       ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
                       ls.error_response::text AS error_response, ls.first_attempted_at, ls.blocking_job_id
                FROM %1$s j
            """ + LATEST_STATUS + """
                WHERE j.job_id = ANY (ARRAY(
                          SELECT DISTINCT s.job_id FROM %2$s s WHERE s.job_state IN ('failed', 'waiting')))
                  AND ls.job_state IN ('failed', 'waiting') %4$s),
            keyed AS (
                SELECT l.*,
                       min(l.job_id) OVER k AS first_of_key,
                       min(l.job_id) FILTER (WHERE l.job_state = 'failed' AND l.retry_time > :now) OVER k AS backoff_from
                FROM latest l
                WINDOW k AS (PARTITION BY l.workspace_id, l.user_id, l.key_destination))
            SELECT j.* FROM keyed j
            WHERE j.job_id > :after
              AND (j.job_state = 'waiting' OR j.retry_time <= :now)
              AND (:deliverable = false OR j.backoff_from IS NULL OR j.job_id < j.backoff_from)
              %5$s
            ORDER BY j.job_id
            LIMIT :limit""";

    // The held users of a read: a user's key (workspace, user) is compared against two parallel arrays.
    private static final String HELD = "(j.workspace_id, j.user_id) IN (SELECT h.w, h.u FROM"
            + " unnest(CAST(:heldWorkspaces AS text[]), CAST(:heldUsers AS text[])) AS h(w, u))";

    // A read of only some users' jobs (JobQuery.ofUsers), the same way.
    private static final String ONLY = "(j.workspace_id, j.user_id) IN (SELECT o.w, o.u FROM"
            + " unnest(CAST(:onlyWorkspaces AS text[]), CAST(:onlyUsers AS text[])) AS o(w, u))";

    // The payloads of the jobs a read returns, read last and only for them. The ids' own range lets PostgreSQL skip
    // the datasets outside it (an id array alone probes every dataset: 11-14 ms against 4.6-4.9 ms for 2,000 ids
    // over 6 datasets, measured on PostgreSQL 15).
    private static final String PAYLOADS = "SELECT j.job_id, j.event_payload FROM %1$s j"
            + " WHERE j.job_id = ANY (CAST(:ids AS bigint[])) AND j.job_id BETWEEN :lowest AND :highest";

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

    // The first failed or waiting job of each key (workspace, destination, user): the jobs are found by primary
    // key from the ids of the partial status index on those states (an array built once), so the cost is those
    // status rows and their distinct jobs, not the jobs table. The jobs table is named before the status table on
    // purpose: a writer opening a new dataset locks them in that order (jobs partition, then status partition), and a
    // reader locking them the other way round deadlocks with it.
    private static final String FIRST_UNRESOLVED = """
            SELECT DISTINCT ON (1, 2, 3)
                   j.workspace_id, coalesce(j.parameters->>'destination_id', '') AS destination_id, j.user_id,
                   j.job_id, (ls.job_state = 'failed' AND ls.retry_time > :now) AS in_backoff,
                   ls.job_state = 'failed' AS failed,
                   (ls.job_state = 'failed' AND ls.error_code = '%3$s') AS recovered
            FROM %1$s j
            """ + LATEST_STATUS + """
            WHERE j.job_id = ANY (ARRAY(
                      SELECT DISTINCT s.job_id FROM %2$s s WHERE s.job_state IN ('failed', 'waiting')))
              AND ls.job_state IN ('failed', 'waiting')
              AND j.partition_id IN (:partitions)
            ORDER BY 1, 2, 3, j.job_id""";

    private static final String LAST_JOB_ID = "SELECT coalesce(max(job_id), 0) FROM %1$s";

    // The latest status of some jobs, by primary key.
    private static final String LATEST_OF = """
            SELECT j.job_id, ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
                   ls.error_response::text AS error_response, ls.first_attempted_at, ls.blocking_job_id
            FROM %1$s j
            """ + LATEST_STATUS + """
            WHERE j.job_id = ANY (CAST(:ids AS bigint[]))""";

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
    private final String unprocessedWindowSql;
    private final String unprocessedOfUsersSql;
    private final String retryableSql;
    private final String payloadsSql;
    private final String firstUnresolvedSql;
    private final String lastJobIdSql;
    private final String latestOfSql;
    private final String recentSql;
    private final String copyJobsSql;
    private final String copyStatusSql;
    private final Counter stored;
    private final Counter fetched;
    private final Counter statuses;
    private final Counter windows;
    private final Counter windowRows;

    PostgresJobsDb(Queue queue, DataSource dataSource, Datasets datasets, MeterRegistry meters) {
        this.queue = queue;
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.datasets = datasets;
        this.unprocessedWindowSql = UNPROCESSED_WINDOW
                .replace("%7$s", WINDOW_OF_ALL)
                .replace("%1$s", queue.jobsTable())
                .replace("%2$s", queue.statusTable());
        this.unprocessedOfUsersSql = UNPROCESSED_WINDOW
                .replace("%7$s", WINDOW_OF_USERS)
                .replace("%1$s", queue.jobsTable())
                .replace("%2$s", queue.statusTable());
        this.retryableSql = RETRYABLE.replace("%1$s", queue.jobsTable()).replace("%2$s", queue.statusTable());
        this.payloadsSql = PAYLOADS.formatted(queue.jobsTable());
        this.firstUnresolvedSql =
                FIRST_UNRESOLVED.formatted(queue.jobsTable(), queue.statusTable(), CrashRecovery.RECOVERED_CODE);
        this.lastJobIdSql = LAST_JOB_ID.formatted(queue.jobsTable());
        this.latestOfSql = LATEST_OF.replace("%1$s", queue.jobsTable()).replace("%2$s", queue.statusTable());
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
        // statements of the unprocessed reads: a read's cost is the windows it walks
        this.windows = Counter.builder("jobsdb.read.windows")
                .tag("queue", queue.prefix())
                .register(meters);
        // rows those windows took from the jobs table (each with its parameters, status probed): a window's cost
        this.windowRows = Counter.builder("jobsdb.read.window.rows")
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
        return read(query, null, false).jobs();
    }

    @Override
    public JobPage fetchUnprocessedPage(JobQuery query) {
        return read(query, null, false);
    }

    @Override
    public List<Job> fetchToProcess(JobQuery query, Instant now) {
        return read(query, now, false).jobs();
    }

    @Override
    public JobPage fetchDeliverable(JobQuery query, Instant now) {
        return read(query, now, true);
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
                        rs.getBoolean("in_backoff"),
                        rs.getBoolean("failed"),
                        rs.getBoolean("recovered")))
                .list();
    }

    @Override
    public long lastJobId() {
        Long last = jdbc.sql(lastJobIdSql).query(Long.class).single();
        return last == null ? 0 : last;
    }

    @Override
    public java.util.Map<Long, JobStatus> latestStatuses(java.util.Collection<Long> jobIds) {
        java.util.Map<Long, JobStatus> latest = new java.util.HashMap<>();
        if (jobIds.isEmpty()) return latest;
        StringBuilder ids = new StringBuilder("{");
        for (long id : jobIds) {
            if (ids.length() > 1) ids.append(',');
            ids.append(id);
        }
        jdbc.sql(latestOfSql).param("ids", ids.append('}').toString()).query(rs -> {
            latest.put(rs.getLong("job_id"), status(rs));
        });
        return latest;
    }

    @Override
    public List<Job> fetchRecent(JobQuery query) {
        String filters = filters(query, true);
        List<Job> jobs = bind(jdbc.sql(recentSql.formatted(filters)), query)
                .param("after", query.afterJobId())
                .param("limit", query.limit())
                .param("bytes", query.payloadLimitBytes())
                .query(PostgresJobsDb::job)
                .list();
        fetched.increment(jobs.size());
        return jobs;
    }

    /** The largest window of the unprocessed read of {@code limit} jobs (see UNPROCESSED_WINDOW). */
    static int window(int limit) {
        return JobQuery.first(limit).window();
    }

    /**
     * The unprocessed jobs (window by window) and, when {@code now} is given, the retryable ones, merged in job id
     * order and cut to the count and byte limits; then the payloads of exactly those jobs. The page says whether the
     * byte limit left out a job the count limit would have taken.
     */
    private JobPage read(JobQuery query, @Nullable Instant now, boolean deliverable) {
        Walk walk = unprocessed(query);
        List<Job> unprocessed = walk.found();
        List<Job> retryable = now == null ? List.of() : retryable(query, now, deliverable);
        List<Job> picked = new ArrayList<>(Math.min(query.limit(), unprocessed.size() + retryable.size()));
        int u = 0;
        int r = 0;
        long bytes = 0;
        boolean cutByBytes = false;
        while (picked.size() < query.limit() && (u < unprocessed.size() || r < retryable.size())) {
            Job next;
            if (r >= retryable.size()
                    || (u < unprocessed.size()
                            && unprocessed.get(u).jobId() < retryable.get(r).jobId())) next = unprocessed.get(u++);
            else next = retryable.get(r++);
            // a job id in both lists (a status written between the two statements) is returned once, with status
            if (!picked.isEmpty() && picked.getLast().jobId() == next.jobId()) {
                if (next.lastStatus() != null) picked.set(picked.size() - 1, next);
                continue;
            }
            bytes += next.payloadSize();
            // the first job always, so one oversized job never stalls a reader
            if (!picked.isEmpty() && bytes > query.payloadLimitBytes()) {
                cutByBytes = true;
                break;
            }
            picked.add(next);
        }
        // unprocessed jobs the limits left out (all above the last job picked, which is a prefix in job id order):
        // the walk counts as done only up to that last job
        long walkedTo = walk.walkedTo();
        if (!unprocessed.isEmpty()) {
            long lastPicked = picked.isEmpty()
                    ? unprocessed.getFirst().jobId() - 1
                    : picked.getLast().jobId();
            if (unprocessed.getLast().jobId() > lastPicked) walkedTo = Math.min(walkedTo, lastPicked);
        }
        List<Job> jobs = withPayloads(picked);
        fetched.increment(jobs.size());
        return new JobPage(jobs, cutByBytes, walkedTo, walk.capped());
    }

    /** The unprocessed jobs a read found, how far it walked (see {@link JobPage#walkedTo}) and whether the cap hit. */
    private record Walk(List<Job> found, long walkedTo, boolean capped) {}

    private Walk unprocessed(JobQuery query) {
        StringBuilder inWindow = new StringBuilder();
        if (query.customVal() != null) inWindow.append(" AND j.custom_val = :customVal");
        if (!query.partitions().isEmpty()) inWindow.append(" AND j.partition_id IN (:partitions)");
        int largest = query.window();
        // a few users only: the window is taken per user (WINDOW_OF_USERS), which applies their filter itself
        boolean perUser =
                !query.onlyUsers().isEmpty() && (long) query.onlyUsers().size() * USER_IDS <= largest;
        if (!query.onlyUsers().isEmpty() && !perUser) inWindow.append(" AND ").append(ONLY);
        StringBuilder outside = new StringBuilder(filters(query, false));
        if (!query.heldUsers().isEmpty()) outside.append(" AND NOT ").append(HELD);
        boolean capped = query.maxWindows() > 0;
        String sql = (perUser ? unprocessedOfUsersSql : unprocessedWindowSql)
                .replace("%3$s", WINDOW_COLUMNS)
                .replace("%4$s", inWindow)
                .replace("%5$s", outside)
                .replace("%6$s", capped ? SPAN : "");
        long after = Math.max(query.afterJobId(), query.unprocessedFloor());
        List<Job> found = new ArrayList<>();
        long foundBytes = 0;
        long taken = 0; // rows the windows so far took
        int window = 0; // rows the last window asked for
        boolean full = false; // and took them all
        int walked = 0;
        while (true) {
            int wanted = stillWanted(query, found.size(), foundBytes);
            // the last window a cap allows is the largest, so a capped read far behind its jobs always walks at least
            // that far (JobQuery.walkingAtMost)
            window = capped && walked == query.maxWindows() - 1
                    ? largest
                    : nextWindow(wanted, window, full, found.size(), taken, largest);
            // window_end, window_rows, first_id (-1: none above), last_id
            long[] w = {after, 0, -1, 0};
            int before = found.size();
            JdbcClient.StatementSpec spec = bind(jdbc.sql(sql), query)
                    .param("after", after)
                    .param("window", window)
                    .param("span", largest)
                    .param("limit", query.limit() - found.size());
            spec.query(rs -> {
                w[0] = rs.getLong("window_end");
                w[1] = rs.getLong("window_rows");
                long first = rs.getLong("first_id");
                w[2] = rs.wasNull() ? -1 : first;
                w[3] = rs.getLong("last_id");
                if (rs.getObject("job_id") != null) found.add(job(rs, null, false));
            });
            for (int i = before; i < found.size(); i++)
                foundBytes += found.get(i).payloadSize();
            walked++;
            taken += w[1];
            windows.increment();
            windowRows.increment(w[1]);
            // the count limit ended the read: the jobs after the last one found are not known yet
            if (found.size() >= query.limit())
                return new Walk(found, found.getLast().jobId(), false);
            // so did the byte limit: read() keeps the prefix of the jobs within it (the first always), and the jobs
            // found so far already pass it after their first, so no job found later could be returned; read() cuts
            // at or before the last one found, says so (cutByBytes) and moves walkedTo back to its last job
            if (found.size() >= 2 && foundBytes > query.payloadLimitBytes())
                return new Walk(found, found.getLast().jobId(), false);
            full = w[1] >= window;
            if (full) {
                after = w[0]; // the window was full: more ids of its span (or above it) may match
            } else if (!capped || w[2] < 0 || w[2] + largest - 1 >= w[3]) {
                // the end: no id above the window's end, up to the last stored one, matches
                return new Walk(found, Math.max(after, w[3]), false);
            } else {
                after = w[2] + largest - 1; // the span is walked
            }
            if (capped && walked >= query.maxWindows()) return new Walk(found, after, true);
        }
    }

    /**
     * How many more jobs a read needs: the rest of its count limit, and while its byte limit is not infinite no more
     * than the rest of it holds at the average payload of the jobs found so far, plus the one that passes it (which
     * read() needs to tell a cut by bytes from the end).
     */
    static int stillWanted(JobQuery query, int found, long foundBytes) {
        int wanted = query.limit() - found;
        if (found == 0 || foundBytes == 0 || query.payloadLimitBytes() == Long.MAX_VALUE) return wanted;
        long left = Math.max(0, query.payloadLimitBytes() - foundBytes);
        double average = (double) foundBytes / found;
        return (int) Math.max(1, Math.min(wanted, (long) Math.ceil(left / average) + 1));
    }

    /**
     * The rows of a read's next window (see UNPROCESSED_WINDOW): the jobs still wanted and a slack of
     * {@link #WINDOW_SLACK} rows or an eighth of them; after a window, at least enough for those jobs at the rate the
     * windows so far kept ({@code found} of {@code taken} rows), at most {@link #WINDOW_GROWTH} times the last window
     * ({@code previous}, 0 for the first) when that one was {@code full}, else at most its size (a capped window that
     * ran out of its id span, not of rows, says nothing about how many rows the next needs: a read whose first spans
     * hold none of its jobs, a catch-up read of users far above the read's start, would otherwise reach them with its
     * largest window); never more than {@code largest}. Only the cost of a read depends on it, never what it returns.
     */
    static int nextWindow(int wanted, int previous, boolean full, int found, long taken, int largest) {
        long slack = Math.max(WINDOW_SLACK, wanted / 8);
        long rows = wanted + slack;
        if (previous > 0) {
            long atRate = found == 0 ? Long.MAX_VALUE : (long) Math.ceil((double) wanted * taken / found) + slack;
            rows = Math.max(rows, Math.min(atRate, (long) previous * (full ? WINDOW_GROWTH : 1)));
        }
        return (int) Math.min(rows, largest);
    }

    private List<Job> retryable(JobQuery query, Instant now, boolean deliverable) {
        String held = query.heldUsers().isEmpty() ? "" : " AND (j.job_id = j.first_of_key OR NOT " + HELD + ")";
        String sql = retryableSql
                .replace("%3$s", JOB_COLUMNS)
                .replace("%4$s", filters(query, true))
                .replace("%5$s", held);
        return bind(jdbc.sql(sql), query)
                .param("after", query.afterJobId())
                .param("limit", query.limit())
                .param("now", Timestamp.from(now))
                .param("deliverable", deliverable)
                .query((rs, n) -> job(rs, status(rs), false))
                .list();
    }

    // The job columns of the unprocessed windows; parameters as jsonb, since filters outside the window read it.
    private static final String WINDOW_COLUMNS = """
            j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters,
            j.event_count, j.payload_size, j.created_at""";

    /** The filters on the job's columns; {@code all} adds those the unprocessed window applies inside itself. */
    private static String filters(JobQuery query, boolean all) {
        StringBuilder filters = new StringBuilder();
        if (all && query.customVal() != null) filters.append(" AND j.custom_val = :customVal");
        if (query.destinationId() != null) filters.append(" AND j.parameters->>'destination_id' = :destinationId");
        if (query.workspaceId() != null) filters.append(" AND j.workspace_id = :workspaceId");
        if (query.sourceId() != null) filters.append(" AND j.parameters->>'source_id' = :sourceId");
        if (all && !query.partitions().isEmpty()) filters.append(" AND j.partition_id IN (:partitions)");
        if (all && !query.onlyUsers().isEmpty()) filters.append(" AND ").append(ONLY);
        if (!query.excludedDestinations().isEmpty())
            filters.append(" AND coalesce(j.parameters->>'destination_id', '') NOT IN (:excludedDestinations)");
        return filters.toString();
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, JobQuery query) {
        if (query.customVal() != null) spec = spec.param("customVal", query.customVal());
        if (query.destinationId() != null) spec = spec.param("destinationId", query.destinationId());
        if (query.workspaceId() != null) spec = spec.param("workspaceId", query.workspaceId());
        if (query.sourceId() != null) spec = spec.param("sourceId", query.sourceId());
        if (!query.partitions().isEmpty()) spec = spec.param("partitions", query.partitions());
        if (!query.excludedDestinations().isEmpty())
            spec = spec.param("excludedDestinations", query.excludedDestinations());
        if (!query.heldUsers().isEmpty()) {
            List<String> workspaces = new ArrayList<>();
            List<String> users = new ArrayList<>();
            for (JobQuery.User user : query.heldUsers()) {
                workspaces.add(user.workspaceId());
                users.add(user.userId());
            }
            spec = spec.param("heldWorkspaces", arrayLiteral(workspaces)).param("heldUsers", arrayLiteral(users));
        }
        if (!query.onlyUsers().isEmpty()) {
            List<String> workspaces = new ArrayList<>();
            List<String> users = new ArrayList<>();
            for (JobQuery.User user : query.onlyUsers()) {
                workspaces.add(user.workspaceId());
                users.add(user.userId());
            }
            spec = spec.param("onlyWorkspaces", arrayLiteral(workspaces)).param("onlyUsers", arrayLiteral(users));
            StringBuilder above = new StringBuilder("{");
            for (JobQuery.User user : query.onlyUsers()) {
                if (above.length() > 1) above.append(',');
                above.append(query.onlyUsersAbove().getOrDefault(user, 0L));
            }
            spec = spec.param("onlyAbove", above.append('}').toString());
        }
        return spec;
    }

    /** A PostgreSQL array literal of text values, each quoted. */
    static String arrayLiteral(List<String> values) {
        StringBuilder b = new StringBuilder("{");
        for (String v : values) {
            if (b.length() > 1) b.append(',');
            b.append('"').append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return b.append('}').toString();
    }

    /** The jobs with their payloads, read by primary key for exactly these jobs. */
    private List<Job> withPayloads(List<Job> jobs) {
        if (jobs.isEmpty()) return jobs;
        StringBuilder ids = new StringBuilder("{");
        long lowest = Long.MAX_VALUE;
        long highest = Long.MIN_VALUE;
        for (Job j : jobs) {
            if (ids.length() > 1) ids.append(',');
            ids.append(j.jobId());
            lowest = Math.min(lowest, j.jobId());
            highest = Math.max(highest, j.jobId());
        }
        java.util.Map<Long, String> payloads = new java.util.HashMap<>(jobs.size() * 2);
        jdbc.sql(payloadsSql)
                .param("ids", ids.append('}').toString())
                .param("lowest", lowest)
                .param("highest", highest)
                .query(rs -> {
                    payloads.put(rs.getLong(1), rs.getString(2));
                });
        List<Job> complete = new ArrayList<>(jobs.size());
        for (Job j : jobs) {
            String payload = payloads.get(j.jobId());
            // gone between the two statements: its dataset was dropped, so it was terminal; not returned
            if (payload == null) continue;
            complete.add(j.withPayload(payload));
        }
        return complete;
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
        return job(rs, status, true);
    }

    /** The job columns of a row, with the given status; the payload is "" unless {@code withPayload}. */
    static Job job(ResultSet rs, @Nullable JobStatus status, boolean withPayload) throws SQLException {
        return new Job(
                rs.getLong("job_id"),
                rs.getObject("uuid", UUID.class),
                rs.getString("user_id"),
                rs.getString("workspace_id"),
                rs.getInt("partition_id"),
                rs.getString("custom_val"),
                rs.getString("parameters"),
                withPayload ? rs.getString("event_payload") : "",
                rs.getInt("event_count"),
                rs.getInt("payload_size"),
                rs.getTimestamp("created_at").toInstant(),
                status);
    }
}
