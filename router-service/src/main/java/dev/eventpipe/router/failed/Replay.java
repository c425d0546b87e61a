package dev.eventpipe.router.failed;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replays rt jobs: each original is copied, unchanged but for {@code parameters.replayed_from}, as a new rt job
 * (so it is delivered after the user's jobs already queued), and the pair is recorded in {@code router_replays};
 * copies and records commit together. The original keeps its history. Replaying is idempotent while a copy is on
 * its way: replays are serialized (a transaction-scoped advisory lock), and an original whose earlier copy has not
 * finished yet is skipped, so a double-submitted replay makes one copy (review P2-16). An original whose dataset was
 * dropped is read from the aborted jobs jobsdb keeps ({@code rt_failed_events}), the same way.
 */
@Component
class Replay {
    /**
     * The originals, from the queue or from the aborted jobs jobsdb keeps once their dataset is gone (review P1-5);
     * a job in both (for a moment, during a compaction) is read once, from the kept copy. A kept job is aborted: only
     * aborted jobs are kept, and nothing is written after that.
     */
    private static final String ORIGINALS = """
            SELECT k.job_id, k.user_id, k.workspace_id, k.custom_val, k.parameters::text AS parameters, k.event_payload,
                   'aborted' AS state
            FROM rt_failed_events k WHERE k.job_id IN (:ids) AND (:workspaceId = '' OR k.workspace_id = :workspaceId)
            UNION ALL
            SELECT j.job_id, j.user_id, j.workspace_id, j.custom_val, j.parameters::text AS parameters, j.event_payload,
                   coalesce((SELECT s.job_state FROM rt_job_status s WHERE s.job_id = j.job_id
                             ORDER BY s.id DESC LIMIT 1), 'unprocessed') AS state
            FROM rt_jobs j WHERE j.job_id IN (:ids) AND (:workspaceId = '' OR j.workspace_id = :workspaceId)
              AND NOT EXISTS (SELECT 1 FROM rt_failed_events k WHERE k.job_id = j.job_id)
            ORDER BY job_id""";

    private static final List<String> TERMINAL = List.of("aborted", "succeeded", "filtered");
    /** Serializes replays, so two submits cannot both find no copy in flight and both make one. */
    private static final long LOCK_KEY = 0x72706c79_00000001L; // "rply"

    private static final String COPIES_IN_FLIGHT = """
            SELECT r.original_job_id, r.new_job_id FROM router_replays r
            WHERE r.original_job_id IN (:ids)
              AND EXISTS (SELECT 1 FROM rt_jobs j WHERE j.job_id = r.new_job_id)
              AND coalesce((SELECT s.job_state FROM rt_job_status s WHERE s.job_id = r.new_job_id
                            ORDER BY s.id DESC LIMIT 1), 'unprocessed') NOT IN ('aborted', 'succeeded', 'filtered')""";
    private static final String RECORD =
            "INSERT INTO router_replays (original_job_id, new_job_id) VALUES (:original, :copy)";

    private final JdbcClient jdbc;
    private final JobsDbs jobsDbs;
    private final TransactionTemplate tx;

    Replay(DataSource dataSource, JobsDbs jobsDbs, TransactionTemplate routerTransactions) {
        this.jdbc = JdbcClient.create(dataSource);
        this.jobsDbs = jobsDbs;
        this.tx = routerTransactions;
    }

    record Copy(long originalJobId, long newJobId) {}

    record Original(long jobId, String state, NewJob copy) {}

    record Skipped(long jobId, String state, String reason) {}

    /**
     * {@code {"replayed": [{"originalJobId", "newJobId"}], "notFound": [ids], "skipped": [{"jobId", "state",
     * "reason"}]}}. Only jobs in a terminal state are copied: a job that is still being retried would otherwise be
     * delivered twice.
     */
    /** Replays the given jobs; with a workspace id, jobs of other workspaces count as not found. */
    Map<String, Object> replay(List<Long> jobIds, @Nullable String workspaceId) {
        List<Long> distinct = jobIds.stream().distinct().toList();
        List<Skipped> skipped = new ArrayList<>();
        List<Long> seen = new ArrayList<>();
        List<Copy> copies = tx.execute(s -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(:key)")
                    .param("key", LOCK_KEY)
                    .query()
                    .singleRow();
            List<Original> all = distinct.isEmpty()
                    ? List.of()
                    : jdbc.sql(ORIGINALS)
                            .param("ids", distinct)
                            .param("workspaceId", workspaceId == null ? "" : workspaceId)
                            .query((rs, n) -> {
                                ObjectNode params = (ObjectNode) Json.mapper().readTree(rs.getString("parameters"));
                                params.put("replayed_from", rs.getLong("job_id"));
                                return new Original(
                                        rs.getLong("job_id"),
                                        rs.getString("state"),
                                        NewJob.of(
                                                rs.getString("user_id"),
                                                rs.getString("workspace_id"),
                                                rs.getString("custom_val"),
                                                Json.writeString(params),
                                                rs.getString("event_payload")));
                            })
                            .list();
            Map<Long, Long> inFlight = inFlight(distinct);
            List<Original> originals = new ArrayList<>();
            for (Original o : all) {
                seen.add(o.jobId());
                Long copy = inFlight.get(o.jobId());
                if (!TERMINAL.contains(o.state()))
                    skipped.add(new Skipped(o.jobId(), o.state(), "job is not finished; replay it once aborted"));
                else if (copy != null)
                    skipped.add(new Skipped(
                            o.jobId(), o.state(), "already replayed as job " + copy + ", which is not finished yet"));
                else originals.add(o);
            }
            List<Long> ids = jobsDbs.queue(Queue.RT)
                    .store(originals.stream().map(Original::copy).toList());
            List<Copy> result = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                Copy c = new Copy(originals.get(i).jobId(), ids.get(i));
                jdbc.sql(RECORD)
                        .param("original", c.originalJobId())
                        .param("copy", c.newJobId())
                        .update();
                result.add(c);
            }
            return result;
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("replayed", copies);
        body.put("notFound", distinct.stream().filter(id -> !seen.contains(id)).toList());
        body.put("skipped", skipped);
        return body;
    }

    /** Original job id to the id of its copy that is still queued or being retried. */
    private Map<Long, Long> inFlight(List<Long> ids) {
        Map<Long, Long> copies = new LinkedHashMap<>();
        if (ids.isEmpty()) return copies;
        jdbc.sql(COPIES_IN_FLIGHT)
                .param("ids", ids)
                .query((rs, n) -> copies.put(rs.getLong("original_job_id"), rs.getLong("new_job_id")))
                .list();
        return copies;
    }
}
