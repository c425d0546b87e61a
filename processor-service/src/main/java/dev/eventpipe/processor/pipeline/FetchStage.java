package dev.eventpipe.processor.pipeline;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobPage;
import dev.eventpipe.jobsdb.JobQuery;
import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.PartitionLeases;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.partition.LeaseEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fetches the oldest unprocessed gw jobs of the owned partitions (job id order, bounded by count and bytes) and
 * writes nothing: a fetched job stays unprocessed until the store transaction writes its one status (with the rt
 * jobs, after checking the leases). So a job in flight looks like any unprocessed job, and the loop never reads
 * below a batch in flight ({@link ProcessingLoop}). A batch carries its partitions' loss counters from before the
 * read, which the store checks: a replica that lost a partition since the fetch never commits its jobs.
 */
@Component
public class FetchStage {
    private static final Logger log = LoggerFactory.getLogger(FetchStage.class);

    private final JobsDb gw;
    private final PartitionLeases leases;
    private final LeaseEvents leaseEvents;
    private final ProcessorProperties.Batch settings;
    private final PipelineMetrics metrics;

    public FetchStage(
            JobsDbs jobsDbs,
            PartitionLeases leases,
            LeaseEvents leaseEvents,
            ProcessorProperties properties,
            PipelineMetrics metrics) {
        this.gw = jobsDbs.queue(Queue.GW);
        this.metrics = metrics;
        this.leases = leases;
        this.leaseEvents = leaseEvents;
        this.settings = properties.batch();
    }

    /**
     * Windows one fetch walks at most (jobsdb {@link JobQuery#walkingAtMost}): a read from a cursor far below the
     * unprocessed jobs (0 after a start, a gain, an abandon or the idle rescan) costs at most this many windows of
     * finished jobs, and the cursor moves on to where it got (review P3-1).
     */
    static final int MAX_WINDOWS = 25;

    public Optional<Batch> fetch(Set<Integer> owned, long afterJobId) {
        return fetch(owned, afterJobId, settings.maxBytes().toBytes(), walked -> {});
    }

    /**
     * As {@link #fetch(Set, long)}, reading at most {@code maxBytes} of payload (and at least one job). When nothing
     * unprocessed was found, {@code walkedPast} is told how far the read got: every gw job of {@code owned} at or
     * below it has a status or is in a batch fetched before, so the next fetch may start there.
     */
    public Optional<Batch> fetch(Set<Integer> owned, long afterJobId, long maxBytes, LongConsumer walkedPast) {
        // The loss counters first, then the leases once more: a partition owned after the counters were read was held
        // (in the database) from before the read below, so another replica can commit its jobs after that read only
        // once this one has lost it, which moves the counter that the store compares with these marks. (Marks taken
        // after the caller read `owned` would miss a loss, and a regain, in between.)
        Map<Integer, Long> marks = leaseEvents.lossMarks(owned);
        Set<Integer> held = new TreeSet<>(owned);
        held.retainAll(leases.owned());
        if (held.isEmpty()) return Optional.empty(); // an empty partition filter would mean "all"
        JobPage page = gw.fetchUnprocessedPage(JobQuery.first(settings.maxJobs())
                .after(afterJobId)
                .customVal("GW")
                .partitions(held)
                .walkingAtMost(MAX_WINDOWS)
                .withPayloadLimit(
                        Math.max(1, Math.min(maxBytes, settings.maxBytes().toBytes()))));
        List<Job> jobs = page.jobs();
        if (jobs.isEmpty()) {
            walkedPast.accept(page.walkedTo());
            return Optional.empty();
        }
        Set<Integer> partitions = new TreeSet<>();
        for (Job j : jobs) partitions.add(j.partition());
        marks.keySet().retainAll(partitions);
        return Optional.of(new Batch(read(jobs), partitions, marks));
    }

    /**
     * The fetched jobs, parsed. Parsing reads nothing but the job, so a job it fails on fails the same way at every
     * fetch: it is made invalid, and so aborted with the reason ({@code "the job cannot be parsed: <error>"}), like
     * a job that is not JSON, and the jobs fetched with it go on (review 1100 P3-4), each counted in
     * {@code processor.fetch.unparseable}. Before, the failure abandoned the whole fetch, and the same jobs were
     * fetched, failed and reset again for ever while nothing else of the owned partitions moved. A fatal error is
     * thrown on, and so is a class that cannot be loaded, which would fail every job alike ({@link StageFailure}).
     *
     * <p>When every job of the fetch fails, the parser rather than the jobs is likely at fault (a regression after
     * an upgrade, a shared mapper misconfigured): nothing is aborted, the fetch fails as a whole (review 1330 P2-1),
     * and so is retried with back-off, counted and shown on {@code /health} like a database error that repeats,
     * until the parser is fixed. A lone job that cannot be parsed, fetched alone, is held back so until a later job
     * of the owned partitions is fetched with it; then it is aborted.
     */
    private List<GwJob> read(List<Job> jobs) {
        List<GwJob> parsed = new ArrayList<>(jobs.size());
        List<GwJob> unparseable = new ArrayList<>();
        Throwable first = null;
        for (Job job : jobs) {
            try {
                parsed.add(parse(job));
            } catch (RuntimeException | Error e) {
                if (StageFailure.fatal(e) || e instanceof LinkageError) throw e;
                if (first == null) first = e;
                GwJob invalid = GwJob.invalid(job, StageFailure.describe("the job cannot be parsed: ", e));
                unparseable.add(invalid);
                parsed.add(invalid);
            }
        }
        if (first != null && unparseable.size() == jobs.size()) {
            throw new IllegalStateException(
                    "every one of the " + jobs.size() + " fetched gw jobs failed to parse: none is aborted, the parser"
                            + " is likely at fault",
                    first);
        }
        for (GwJob invalid : unparseable) {
            metrics.fetchUnparseable();
            log.atWarn()
                    .addKeyValue("gwJobId", invalid.job().jobId())
                    .addKeyValue("partition", invalid.job().partition())
                    .addKeyValue("reason", invalid.invalid())
                    .log("a fetched gw job cannot be parsed; aborting it");
        }
        return parsed;
    }

    /**
     * {@link GwJob#parse}. Overridable so that a test can fetch a job the parser fails on: no such job is known
     * (the parser turns what it cannot read into an invalid job itself), so {@link #read(List)} is a net.
     */
    protected GwJob parse(Job job) {
        return GwJob.parse(job);
    }
}
