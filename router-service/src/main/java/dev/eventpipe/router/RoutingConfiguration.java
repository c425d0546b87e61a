package dev.eventpipe.router;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.router.batching.BatchPolicy;
import dev.eventpipe.router.batching.BatchTransformerClient;
import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.config.RouterSchema;
import dev.eventpipe.router.delivery.HttpDelivery;
import dev.eventpipe.router.delivery.WorkerContext;
import dev.eventpipe.router.delivery.WorkerPool;
import dev.eventpipe.router.leases.Handover;
import dev.eventpipe.router.leases.RouterLeases;
import dev.eventpipe.router.leases.RouterPhases;
import dev.eventpipe.router.ordering.Barrier;
import dev.eventpipe.router.ordering.InFlight;
import dev.eventpipe.router.pickup.Pickup;
import dev.eventpipe.router.pickup.PickupLoop;
import dev.eventpipe.router.stats.DeliveryStats;
import dev.eventpipe.router.status.StatusCommitter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The running router, wired in one place. A job goes pickup ({@link PickupLoop}, {@link Pickup}) → its
 * destination's worker ({@link WorkerPool}) → the {@link StatusCommitter}; all three ask the {@link RouterLeases}
 * which partitions they may work on, and {@link Handover} stops their work on partitions that move away.
 *
 * <p>Four of these beans run threads, each a {@code SmartLifecycle} whose phase ({@link RouterPhases}) orders them:
 * start leases → status committer → workers → pickup, stop in reverse. So on shutdown the pickup stops first, the
 * workers finish their sends and give back what they had not started, the committer writes every status, and only
 * then are the leases released (the fenced handover, review P0-2). With {@code router.enabled=false} none starts.
 */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

    @Bean
    Handover handover(JobsDbs jobsDbs, InFlight inFlight, Barrier barrier, RouterProperties properties) {
        return new Handover(jobsDbs, inFlight, barrier, properties);
    }

    /** The router's own tables ({@code migrated}) exist before its leases are taken, so before anything runs. */
    @Bean
    RouterLeases routerLeases(
            DataSource dataSource, RouterProperties properties, Handover handover, RouterSchema migrated) {
        return new RouterLeases(dataSource, properties, handover);
    }

    @Bean
    StatusCommitter statusCommitter(
            TransactionTemplate routerTransactions,
            JobsDbs jobsDbs,
            DeliveryStats stats,
            RouterLeases leases,
            InFlight inFlight,
            Barrier barrier,
            RouterProperties properties) {
        return new StatusCommitter(
                routerTransactions, jobsDbs.queue(Queue.RT), stats, leases, inFlight, barrier, properties);
    }

    @Bean
    WorkerContext workerContext(
            HttpDelivery delivery,
            Barrier barrier,
            InFlight inFlight,
            InstantSource clock,
            RouterLeases leases,
            StatusCommitter committer,
            BatchPolicy batchPolicy,
            BatchTransformerClient batchTransformer,
            MeterRegistry meters) {
        return new WorkerContext(
                delivery, barrier, inFlight, clock, leases, committer, batchPolicy, batchTransformer, meters);
    }

    @Bean
    WorkerPool workerPool(RouterProperties properties, WorkerContext context, MeterRegistry meters) {
        return new WorkerPool(properties, context, meters);
    }

    @Bean
    Pickup pickup(
            JobsDbs jobsDbs,
            WorkerPool workers,
            RouterProperties properties,
            WorkspaceConfigClient config,
            InFlight inFlight,
            Barrier barrier) {
        return new Pickup(jobsDbs.queue(Queue.RT), workers, properties, config, inFlight, barrier);
    }

    @Bean
    PickupLoop pickupLoop(
            RouterProperties properties,
            WorkspaceConfigClient config,
            RouterLeases leases,
            Handover handover,
            Pickup pickup,
            StatusCommitter committer,
            Barrier barrier,
            InFlight inFlight,
            InstantSource clock) {
        return new PickupLoop(properties, config, leases, handover, pickup, committer, barrier, inFlight, clock);
    }
}
