package dev.eventpipe.processor.pipeline;

import dev.eventpipe.processor.dedup.DedupKey;
import dev.eventpipe.processor.stats.Stage;
import dev.eventpipe.processor.stats.StageCounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * One batch on its way through the stages: the parsed gw jobs in job id order, a report per job, the events of
 * the batch that passed dedup, the routed events, the dedup ids to record and the stage counts. Built afresh for
 * every attempt, so a retried batch starts clean.
 */
public final class BatchWork {
    /** An event of a gw job that passed dedup. */
    public record Accepted(GwJob job, @Nullable DedupKey dedupId, ObjectNode event) {}

    private final List<GwJob> jobs;
    private final Map<Long, JobReport> reports = new LinkedHashMap<>();
    private final List<Accepted> accepted = new ArrayList<>();
    private final List<RoutedEvent> routed = new ArrayList<>();
    private final StageCounts counts = new StageCounts();

    public BatchWork(List<GwJob> jobs) {
        this.jobs = List.copyOf(jobs);
        for (GwJob job : jobs) {
            JobReport report = new JobReport();
            if (job.invalid() != null) report.invalid(job.invalid());
            reports.put(job.jobId(), report);
            counts.add(
                    job.job().workspaceId(),
                    job.sourceId(),
                    "",
                    Stage.RECEIVED,
                    Math.max(1, job.events().size()));
        }
    }

    public List<GwJob> jobs() {
        return jobs;
    }

    public JobReport report(GwJob job) {
        return reports.get(job.jobId());
    }

    public Map<Long, JobReport> reports() {
        return reports;
    }

    public List<Accepted> accepted() {
        return accepted;
    }

    public List<RoutedEvent> routed() {
        return routed;
    }

    public StageCounts counts() {
        return counts;
    }

    /** Counts a filtered or failed event for a destination and notes it on the job's report. */
    public void filtered(RoutedEvent event, String stage, int code, String reason) {
        report(event.job()).filtered(new JobReport.Note(event.destination().id(), stage, code, reason));
        counts.add(
                event.job().job().workspaceId(),
                event.source().id(),
                event.destination().id(),
                Stage.FILTERED,
                1);
    }

    public void failed(RoutedEvent event, String stage, int code, String reason) {
        report(event.job()).failed(new JobReport.Note(event.destination().id(), stage, code, reason));
        counts.add(
                event.job().job().workspaceId(),
                event.source().id(),
                event.destination().id(),
                Stage.TRANSFORMATION_FAILED,
                1);
    }
}
