package dev.eventpipe.processor.store;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.LeaseLostException;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.PartitionLeases;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.dedup.DedupKey;
import dev.eventpipe.processor.dedup.DedupStage;
import dev.eventpipe.processor.dedup.SeenMessageIds;
import dev.eventpipe.processor.partition.LeaseEvents;
import dev.eventpipe.processor.pipeline.Batch;
import dev.eventpipe.processor.pipeline.BatchWork;
import dev.eventpipe.processor.pipeline.GwJob;
import dev.eventpipe.processor.pipeline.RoutedEvent;
import dev.eventpipe.processor.stats.Stage;
import dev.eventpipe.processor.stats.StageCounts;
import dev.eventpipe.processor.stats.StatsRepository;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hands a batch over in ONE transaction: the lease check (which also blocks a takeover until commit), the dedup
 * ids, the gw statuses, the stage counts, the archive copies (arc) and the new rt / batch_rt jobs, in the batch's order (job id, then
 * destination in config order, then transformer output order), so one user's events leave in arrival order. The
 * gw statuses written here are the jobs' only ones (the fetch writes none): a crash or error before the commit
 * leaves no trace, the jobs stay unprocessed; after the commit nothing is redone. rudder-server uses three
 * transactions here and may duplicate.
 */
@Component
public class StoreStage {
    /** What a commit stored, for metrics. */
    public record Stored(int rtJobs, int batchRtJobs) {}

    private final JobsDbs jobsDbs;
    private final PartitionLeases leases;
    private final LeaseEvents leaseEvents;
    private final SeenMessageIds seenIds;
    private final StatsRepository stats;
    private final ProcessorProperties properties;
    private final ArchiveProperties archive;
    private final TransactionTemplate tx;
    private final InstantSource clock = InstantSource.system();

    public StoreStage(
            JobsDbs jobsDbs,
            PartitionLeases leases,
            LeaseEvents leaseEvents,
            SeenMessageIds seenIds,
            StatsRepository stats,
            ProcessorProperties properties,
            ArchiveProperties archive,
            DataSource dataSource) {
        this.jobsDbs = jobsDbs;
        this.leases = leases;
        this.leaseEvents = leaseEvents;
        this.seenIds = seenIds;
        this.stats = stats;
        this.properties = properties;
        this.archive = archive;
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /**
     * The rows one commit writes, built before it from the batch's stages (in a pipeline worker, off the store
     * thread): rt, batch_rt and arc jobs in the batch's order, the gw statuses, the dedup ids to claim. Building
     * them notes the stored outputs on the jobs' reports and counts; call it once per attempt's {@link BatchWork}.
     */
    public record Rows(
            List<NewJob> rt,
            List<NewJob> batchRt,
            List<NewJob> arc,
            List<StatusUpdate> statuses,
            List<DedupKey> dedupIds,
            Instant at) {}

    public Rows rows(Batch batch, BatchWork work) {
        Set<String> batchTypes = properties.batchDestinationTypes();
        List<NewJob> rt = new ArrayList<>();
        List<NewJob> batchRt = new ArrayList<>();
        for (RoutedEvent routed : work.routed()) {
            for (String payload : routed.outputs())
                (batchTypes.contains(routed.destination().type()) ? batchRt : rt).add(RtJobs.of(routed, payload));
            if (routed.outputs().isEmpty()) continue;
            work.report(routed.job()).stored(routed.outputs().size());
            work.counts()
                    .add(
                            routed.job().job().workspaceId(),
                            routed.source().id(),
                            routed.destination().id(),
                            Stage.STORED,
                            routed.outputs().size());
        }
        List<NewJob> arc = archive.enabled() ? ArcJobs.of(work) : List.of();
        Instant now = clock.instant();
        List<StatusUpdate> statuses = new ArrayList<>(batch.jobs().size());
        for (GwJob job : batch.jobs()) statuses.add(work.report(job).status(job.jobId(), 1, now));
        return new Rows(rt, batchRt, arc, statuses, DedupStage.newKeys(work), now);
    }

    /** Builds the rows and commits them: {@link #rows} then {@link #commit}. */
    public Stored store(Batch batch, BatchWork work) {
        return commit(batch, work, rows(batch, work));
    }

    /** The one transaction of a batch, writing {@code rows} (built by {@link #rows} from {@code work}). */
    public Stored commit(Batch batch, BatchWork work, Rows rows) {
        seenIds.cover(); // the dedup partitions of this hour exist before the transaction needs them
        tx.executeWithoutResult(status -> {
            leases.assertHeld(batch.partitions());
            if (!leaseEvents.unchangedSince(batch.lossMarks()))
                throw new LeaseLostException("processor", batch.partitions());
            seenIds.claim(rows.dedupIds(), properties.dedup().window());
            jobsDbs.queue(Queue.GW).updateStatus(rows.statuses());
            stats.add(work.counts(), rows.at());
            // last: storing takes the queue's writer lock, held until commit (always in this queue order)
            if (!rows.arc().isEmpty()) jobsDbs.queue(Queue.ARC).store(rows.arc());
            if (!rows.batchRt().isEmpty()) jobsDbs.queue(Queue.BATCH_RT).store(rows.batchRt());
            jobsDbs.queue(Queue.RT).store(rows.rt());
        });
        return new Stored(rows.rt().size(), rows.batchRt().size());
    }

    /**
     * Aborts the one job of {@code single} that the database refused to store even alone ({@code stage} "store"),
     * or whose stages failed alone for its data ("processing"), with the reason, in a transaction that checks the
     * lease like a store; counted as received and quarantined.
     */
    public void quarantine(Batch single, String reason, String stage) {
        GwJob job = single.jobs().getFirst();
        Instant now = clock.instant();
        ObjectNode response = Json.mapper().createObjectNode();
        response.put("reason", reason);
        response.put("stage", stage);
        StatusUpdate aborted = StatusUpdate.aborted(job.jobId(), 1, now).withResponse("400", response.toString());
        StageCounts counts = new StageCounts();
        int events = Math.max(1, job.events().size());
        counts.add(job.job().workspaceId(), job.sourceId(), "", Stage.RECEIVED, events);
        counts.add(job.job().workspaceId(), job.sourceId(), "", Stage.QUARANTINED, events);
        tx.executeWithoutResult(status -> {
            leases.assertHeld(single.partitions());
            if (!leaseEvents.unchangedSince(single.lossMarks()))
                throw new LeaseLostException("processor", single.partitions());
            jobsDbs.queue(Queue.GW).updateStatus(List.of(aborted));
            stats.add(counts, now);
        });
    }
}
