package dev.eventpipe.router.pickup;

import dev.eventpipe.router.delivery.HttpDelivery;
import dev.eventpipe.router.ordering.Barrier;
import dev.eventpipe.router.ordering.OrderKey;
import java.time.InstantSource;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** What every worker shares: delivery, barrier, clock, the partitions owned now, and the status commit. */
record WorkerContext(
        HttpDelivery delivery,
        Barrier barrier,
        InstantSource clock,
        Supplier<Set<Integer>> ownedPartitions,
        Consumer<Finished> committer,
        Consumer<OrderKey> dropped) {

    Set<Integer> owned() {
        return ownedPartitions.get();
    }

    void commit(Finished finished) {
        committer.accept(finished);
    }

    /** A job not processed because its partition moved away: nothing will be committed for it here. */
    void drop(RtJob job) {
        dropped.accept(job.key());
    }
}
