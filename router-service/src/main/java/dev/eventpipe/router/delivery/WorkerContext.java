package dev.eventpipe.router.delivery;

import dev.eventpipe.router.batching.BatchPolicy;
import dev.eventpipe.router.batching.BatchTransformerClient;
import dev.eventpipe.router.leases.RouterLeases;
import dev.eventpipe.router.ordering.Barrier;
import dev.eventpipe.router.ordering.InFlight;
import dev.eventpipe.router.status.Finished;
import dev.eventpipe.router.status.RtJob;
import dev.eventpipe.router.status.StatusCommitter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Set;

/**
 * What every worker shares: delivery, barrier, clock, the leases (the partitions owned now), the status commit, and
 * for batching destinations the policy, the transformer and the batch-size metric.
 */
public record WorkerContext(
        HttpDelivery delivery,
        Barrier barrier,
        InFlight inFlight,
        InstantSource clock,
        RouterLeases leases,
        StatusCommitter committer,
        BatchPolicy batchPolicy,
        BatchTransformerClient batchTransformer,
        MeterRegistry meters) {

    /** Jobs per batched request sent, per destination type. */
    public DistributionSummary batchSize(String destinationType) {
        return DistributionSummary.builder("router.batch.jobs")
                .description("jobs per batched request sent")
                .tag("destination.type", destinationType)
                .register(meters);
    }

    /** The partitions this replica holds; a job of another one moved away and is recovered by its new owner. */
    public Set<Integer> owned() {
        return leases.owned();
    }

    /**
     * The partitions a send that may take {@code sendTime} may start on: held, and certain to stay held meanwhile
     * (the local lease deadline). Checked just before every send, batched ones included.
     */
    public Set<Integer> ownedFor(Duration sendTime) {
        return leases.ownedFor(sendTime);
    }

    public void commit(Finished finished) {
        committer.submit(finished);
    }

    /** A job not processed because its partition moved away: nothing will be committed for it here. */
    public void drop(RtJob job) {
        inFlight.dropped(job.key());
    }
}
