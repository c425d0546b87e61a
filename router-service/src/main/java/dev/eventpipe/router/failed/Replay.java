package dev.eventpipe.router.failed;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.JobStatus;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.router.status.StatusJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    /** Serializes replays, so two submits cannot both find no copy in flight and both make one. */
    private static final long LOCK_KEY = 0x72706c79_00000001L; // "rply"

    // router_replays is the router's own table (its V1 migration); the jobs are read through jobsdb
    private static final String COPIES = """
            SELECT original_job_id, new_job_id FROM router_replays WHERE original_job_id IN (:ids)""";
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

    record Original(long jobId, String state, boolean finished, boolean delivered, NewJob copy) {}

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
            // from the queue, or from the aborted jobs jobsdb keeps once their dataset is gone (review P1-5)
            List<Original> all = jobsDbs.reads().byIds(Queue.RT, distinct, workspaceId).stream()
                    .map(Replay::original)
                    .toList();
            Map<Long, Long> inFlight = inFlight(distinct);
            List<Original> originals = new ArrayList<>();
            for (Original o : all) {
                seen.add(o.jobId());
                Long copy = inFlight.get(o.jobId());
                if (!o.finished())
                    skipped.add(new Skipped(o.jobId(), o.state(), "job is not finished; replay it once aborted"));
                else if (o.delivered())
                    skipped.add(new Skipped(
                            o.jobId(),
                            o.state(),
                            "the destination accepted this job (its success status was refused by the database); "
                                    + "a replay would send it again"));
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

    private static Original original(Job job) {
        ObjectNode params = (ObjectNode) Json.mapper().readTree(job.parameters());
        params.put("replayed_from", job.jobId());
        JobStatus status = job.lastStatus();
        return new Original(
                job.jobId(),
                status == null ? "unprocessed" : status.state().dbName(),
                status != null && status.state().terminal(),
                status != null && delivered(status),
                NewJob.of(job.userId(), job.workspaceId(), job.customVal(), Json.writeString(params), job.payload()));
    }

    /**
     * Whether the destination accepted the job: succeeded, or aborted by the status commit after its success status
     * was refused by the database ({@code "delivered": true}, see {@code StatusCommitter}).
     */
    private static boolean delivered(JobStatus status) {
        if (status.state() == JobState.SUCCEEDED) return true;
        if (status.state() != JobState.ABORTED) return false;
        try {
            return Json.mapper()
                    .readTree(status.errorResponse())
                    .path(StatusJson.DELIVERED_KEY)
                    .asBoolean(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Original job id to the id of its copy that is still queued or being retried. */
    private Map<Long, Long> inFlight(List<Long> ids) {
        Map<Long, Long> copies = new LinkedHashMap<>();
        if (ids.isEmpty()) return copies;
        Map<Long, Long> originalOf = new LinkedHashMap<>();
        jdbc.sql(COPIES).param("ids", ids).query(rs -> {
            originalOf.put(rs.getLong("new_job_id"), rs.getLong("original_job_id"));
        });
        Set<Long> unfinished = jobsDbs.reads().unfinished(Queue.RT, List.copyOf(originalOf.keySet()));
        originalOf.forEach((copy, original) -> {
            if (unfinished.contains(copy)) copies.put(original, copy);
        });
        return copies;
    }
}
