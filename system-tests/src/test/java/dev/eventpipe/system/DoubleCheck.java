package dev.eventpipe.system;

import dev.eventpipe.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * "Nothing twice" as the system promises it (system-tests notes/2026-11-30-pipelineit-double). The processor
 * stores each event once: checked in the database, where that claim lives, as one rt job per event (one per
 * messageId, as many as events) and no gw job succeeded twice. The router delivers at least once: an attempt whose
 * answer it did not see (a timeout or a network error, recorded {@code failed} with code 504) is sent again, and
 * the sink may have taken the first one. So an event the sink got {@code n} times is accepted only when its one rt
 * job has at least {@code n - 1} {@code failed} 504 rows before its {@code succeeded} row; such doubles are counted
 * and printed, anything else fails with the jobs' rows. {@link #judge} is the rule alone ({@code DoubleCheckTest});
 * {@link #read} what it reads.
 */
final class DoubleCheck {
    private DoubleCheck() {}

    /** One row of {@code rt_job_status}. */
    record Status(long id, String state, int attempt, String code) {
        @Override
        public String toString() {
            return state + "(" + attempt + ")" + (code.isEmpty() ? "" : " " + code);
        }
    }

    /** An rt job, its event's messageId, its gw job, its status rows in order. */
    record RtJob(long jobId, String messageId, long gwJobId, List<Status> statuses) {}

    /** What the database holds: the rt jobs read, the gw jobs no rt job came from, the gw jobs succeeded twice. */
    record Rows(List<RtJob> rtJobs, @Nullable List<Long> gwJobsWithoutRtJob, List<Long> gwJobsSucceededTwice) {}

    /** The messageIds the sink got more than once that are router retries, and what is wrong (nothing: passed). */
    record Verdict(Map<String, Integer> routerRetries, List<String> problems, Set<String> suspects) {}

    /**
     * Asserts that the processor stored each of {@code events} events once and that every event the sink got more
     * than once is a router retry after an attempt it did not see answered; prints those. {@code scope}: the
     * messageIds of the events (null: every rt job of the database is one, and every gw job must have led to one).
     * Waits (at most a minute) for every rt job in scope to have a final status, so a retry's {@code succeeded} row
     * is in.
     */
    static void assertProcessorDoubledNothing(
            TestPostgres.Database db, long events, @Nullable Set<String> scope, List<JsonNode> accepted) {
        try {
            Awaitility.await("every rt job with a final status")
                    .atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> unsettled(db, scope) == 0);
        } catch (ConditionTimeoutException e) {
            // judged as it is: a job without its succeeded row fails below, with its rows
        }
        Verdict verdict = judge(events, read(db, scope), arrivals(accepted, scope));
        if (!verdict.problems().isEmpty())
            throw new AssertionError(
                    "the processor doubled an event, or the sink got one twice that was not a router" + " retry:\n  "
                            + String.join("\n  ", verdict.problems()) + "\nrows:" + history(db, verdict.suspects()));
        if (!verdict.routerRetries().isEmpty())
            System.out.printf(
                    "router retries after an attempt it saw no answer to (at least once) delivered %d events more than"
                            + " once: %s%n",
                    verdict.routerRetries().size(), verdict.routerRetries());
    }

    /** How many times the sink got each messageId (of {@code scope}, when given). */
    static Map<String, Integer> arrivals(List<JsonNode> accepted, @Nullable Set<String> scope) {
        Map<String, Integer> arrivals = new LinkedHashMap<>();
        for (JsonNode e : accepted) {
            String id = e.path("messageId").asString();
            if (scope == null || scope.contains(id)) arrivals.merge(id, 1, Integer::sum);
        }
        return arrivals;
    }

    /** The rule, on rows read (or made up by a test). */
    static Verdict judge(long events, Rows rows, Map<String, Integer> arrivals) {
        List<String> problems = new ArrayList<>();
        Set<String> suspects = new java.util.TreeSet<>();
        Map<String, List<RtJob>> byMessage = rows.rtJobs().stream()
                .collect(Collectors.groupingBy(RtJob::messageId, TreeMap::new, Collectors.toList()));
        if (rows.rtJobs().size() != events || byMessage.size() != events)
            problems.add("%d rt jobs of %d messageIds for %d events"
                    .formatted(rows.rtJobs().size(), byMessage.size(), events));
        byMessage.forEach((id, jobs) -> {
            if (jobs.size() > 1) {
                problems.add("processor double: %s has %d rt jobs %s, of gw jobs %s"
                        .formatted(
                                id,
                                jobs.size(),
                                jobs.stream().map(RtJob::jobId).toList(),
                                jobs.stream().map(RtJob::gwJobId).toList()));
                suspects.add(id);
            }
        });
        if (rows.gwJobsWithoutRtJob() != null && !rows.gwJobsWithoutRtJob().isEmpty())
            problems.add("gw jobs without an rt job: " + rows.gwJobsWithoutRtJob());
        if (!rows.gwJobsSucceededTwice().isEmpty())
            problems.add("gw jobs succeeded twice: " + rows.gwJobsSucceededTwice());
        Map<String, Integer> retries = new TreeMap<>();
        arrivals.forEach((id, times) -> {
            List<RtJob> jobs = byMessage.getOrDefault(id, List.of());
            if (jobs.size() != 1) {
                problems.add("%s arrived %d times and has %d rt jobs".formatted(id, times, jobs.size()));
                suspects.add(id);
                return;
            }
            if (times == 1) return;
            List<Status> statuses = jobs.getFirst().statuses();
            int succeeded = indexOfState(statuses, "succeeded");
            long unanswered = statuses.subList(0, Math.max(succeeded, 0)).stream()
                    .filter(s -> s.state().equals("failed") && s.code().equals("504"))
                    .count();
            if (succeeded < 0 || unanswered < times - 1) {
                problems.add("%s arrived %d times, but its rt job %d has %s: not %d failed 504 before succeeded"
                        .formatted(id, times, jobs.getFirst().jobId(), statuses, times - 1));
                suspects.add(id);
            } else retries.put(id, times);
        });
        return new Verdict(retries, problems, suspects);
    }

    private static int indexOfState(List<Status> statuses, String state) {
        for (int i = 0; i < statuses.size(); i++) if (statuses.get(i).state().equals(state)) return i;
        return -1;
    }

    /** The rt jobs of {@code scope} (null: all) with their status rows, and the gw jobs' checks. */
    static Rows read(TestPostgres.Database db, @Nullable Set<String> scope) {
        try (Connection c = db.connect()) {
            Map<Long, RtJob> jobs = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT j.job_id, j.parameters->>'message_id',"
                    + " (j.parameters->>'gateway_job_id')::bigint, s.id, s.job_state, s.attempt, s.error_code"
                    + " FROM rt_jobs j LEFT JOIN rt_job_status s ON s.job_id = j.job_id"
                    + (scope == null ? "" : " WHERE j.parameters->>'message_id' = ANY (?)")
                    + " ORDER BY j.job_id, s.id")) {
                if (scope != null) ps.setArray(1, c.createArrayOf("text", scope.toArray()));
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long jobId = rs.getLong(1);
                        RtJob job = jobs.computeIfAbsent(jobId, k -> newRtJob(k, rs));
                        long statusId = rs.getLong(4);
                        if (!rs.wasNull())
                            job.statuses().add(new Status(statusId, rs.getString(5), rs.getInt(6), rs.getString(7)));
                    }
                }
            }
            List<Long> withoutRtJob = null;
            if (scope == null)
                withoutRtJob = longs(
                        c,
                        "SELECT g.job_id FROM gw_jobs g WHERE NOT EXISTS (SELECT 1 FROM rt_jobs r"
                                + " WHERE r.parameters->>'gateway_job_id' = g.job_id::text) ORDER BY 1");
            List<Long> succeededTwice = longs(
                    c,
                    "SELECT job_id FROM gw_job_status WHERE job_state = 'succeeded' GROUP BY job_id"
                            + " HAVING count(*) > 1 ORDER BY 1");
            return new Rows(List.copyOf(jobs.values()), withoutRtJob, succeededTwice);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the job queues", e);
        }
    }

    private static RtJob newRtJob(long jobId, java.sql.ResultSet rs) {
        try {
            return new RtJob(jobId, rs.getString(2), rs.getLong(3), new ArrayList<>());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> longs(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (var rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) out.add(rs.getLong(1));
        }
        return out;
    }

    /** rt jobs in scope without a final status (succeeded, aborted or filtered) yet. */
    private static long unsettled(TestPostgres.Database db, @Nullable Set<String> scope) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM rt_jobs j WHERE NOT EXISTS"
                        + " (SELECT 1 FROM rt_job_status s WHERE s.job_id = j.job_id"
                        + " AND s.job_state IN ('succeeded', 'aborted', 'filtered'))"
                        + (scope == null ? "" : " AND j.parameters->>'message_id' = ANY (?)"))) {
            if (scope != null) ps.setArray(1, c.createArrayOf("text", scope.toArray()));
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Each suspect messageId's gw and rt jobs with every status row (what tells a processor double from a retry). */
    static String history(TestPostgres.Database db, Collection<String> messageIds) {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.connect()) {
            for (String id : messageIds.stream().limit(20).toList()) {
                out.append("\n").append(id).append(":");
                for (String queue : List.of("gw", "rt")) {
                    try (var ps = c.prepareStatement("SELECT j.job_id, j.created_at, (SELECT string_agg(s.job_state"
                            + " || '/' || s.attempt || '/' || s.error_code || '@' || s.exec_time || ' first '"
                            + " || coalesce(s.first_attempted_at::text, '-'), ' ' ORDER BY s.id) FROM " + queue
                            + "_job_status s WHERE s.job_id = j.job_id) FROM " + queue
                            + "_jobs j WHERE j.event_payload LIKE ? ORDER BY j.job_id")) {
                        ps.setString(1, "%" + id + "%");
                        try (var rs = ps.executeQuery()) {
                            while (rs.next())
                                out.append("\n  ")
                                        .append(queue)
                                        .append(" job ")
                                        .append(rs.getLong(1))
                                        .append(" created ")
                                        .append(rs.getString(2))
                                        .append(" [")
                                        .append(rs.getString(3))
                                        .append("]");
                        }
                    }
                }
            }
            if (messageIds.size() > 20)
                out.append("\n(").append(messageIds.size() - 20).append(" more)");
        } catch (SQLException e) {
            out.append(" (cannot read the job queues: ").append(e.getMessage()).append(")");
        }
        return out.toString();
    }
}
