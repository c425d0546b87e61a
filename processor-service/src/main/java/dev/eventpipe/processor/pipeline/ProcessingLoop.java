package dev.eventpipe.processor.pipeline;

import dev.eventpipe.jobsdb.DataRefusal;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.LeaseLostException;
import dev.eventpipe.jobsdb.PartitionLeases;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.dedup.DedupConflictException;
import dev.eventpipe.processor.fanout.UnknownSourceException;
import dev.eventpipe.processor.partition.LeaseEvents;
import dev.eventpipe.processor.store.StoreStage;
import dev.eventpipe.processor.transform.TransformerUnavailableException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The processor's one loop thread: fetch a batch of the owned partitions, run the stages, store. A batch that
 * cannot be stored (transformer down, database error) is retried from the start of the stages with exponential
 * backoff, with the config current at that moment, while its jobs stay {@code executing}; nothing is dropped
 * and nothing later is fetched meanwhile, so order holds. A batch whose partitions were lost is abandoned (the
 * new owner recovers its jobs). The cursor (last job id done) only skips work; it restarts at 0 whenever jobs
 * below it may have become unprocessed again (partitions gained, a batch abandoned).
 */
@Component
public class ProcessingLoop implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ProcessingLoop.class);

    private final FetchStage fetch;
    private final BatchPipeline pipeline;
    private final StoreStage store;
    private final PartitionLeases leases;
    private final LeaseEvents leaseEvents;
    private final WorkspaceConfigClient config;
    private final JobsDbs jobsDbs;
    private final ProcessorProperties properties;
    private final PipelineMetrics metrics;
    private final TransactionTemplate tx;
    private final Set<Integer> pendingReset = new HashSet<>();
    private volatile boolean running;
    private volatile Thread thread;
    private long cursor;
    private long seenGeneration = -1;
    private Set<Integer> lastOwned = Set.of();
    private long lastRescanNanos = System.nanoTime();

    public ProcessingLoop(
            FetchStage fetch,
            BatchPipeline pipeline,
            StoreStage store,
            PartitionLeases leases,
            LeaseEvents leaseEvents,
            WorkspaceConfigClient config,
            JobsDbs jobsDbs,
            ProcessorProperties properties,
            PipelineMetrics metrics,
            DataSource dataSource) {
        this.fetch = fetch;
        this.pipeline = pipeline;
        this.store = store;
        this.leases = leases;
        this.leaseEvents = leaseEvents;
        this.config = config;
        this.jobsDbs = jobsDbs;
        this.properties = properties;
        this.metrics = metrics;
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    private void run() {
        while (running) {
            boolean worked = false;
            try {
                worked = iteration();
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).log("processing loop iteration failed; will retry");
            }
            if (!worked) pause(properties.idleSleep());
        }
    }

    /** One fetch and its batch; false when there was nothing to do. */
    boolean iteration() {
        if (!config.hasLoaded()) return false;
        Set<Integer> owned = leases.owned();
        long generation = leaseEvents.generation();
        // The two are updated one after the other by the lease thread, so either may be seen new first: restart
        // the cursor on a change of either (a gained partition may have unprocessed jobs below the cursor).
        if (generation != seenGeneration || !lastOwned.containsAll(owned)) cursor = 0;
        seenGeneration = generation;
        lastOwned = owned;
        if (!pendingReset.isEmpty()) resetExecuting(owned);
        long after = cursor;
        Optional<Batch> batch = metrics.time("fetch", () -> fetch.fetch(owned, after));
        if (batch.isEmpty()) {
            metrics.idle();
            rescanNowAndThen();
            return false;
        }
        process(batch.get());
        return true;
    }

    /**
     * Runs and stores one batch, retrying with backoff until it is stored, abandoned or quarantined. Returns false
     * when the batch was abandoned (its partitions moved), so the caller stops working on the rest of it.
     */
    private boolean process(Batch batch) {
        Duration backoff = properties.transformer().minBackoff();
        while (running) {
            try {
                BatchWork work = pipeline.run(batch, config.current());
                StoreStage.Stored stored = metrics.time("store", () -> store.store(batch, work));
                cursor = batch.lastJobId();
                metrics.stored(batch, work, stored);
                log.atDebug()
                        .addKeyValue("jobs", batch.jobs().size())
                        .addKeyValue("rtJobs", stored.rtJobs())
                        .addKeyValue("stageTotals", metrics::stageSummary)
                        .log("batch stored");
                return true;
            } catch (LeaseLostException e) {
                abandon(batch, e.getMessage());
                return false;
            } catch (DedupConflictException e) {
                log.atInfo().log(e.getMessage() + "; processing the batch again");
                continue;
            } catch (UnknownSourceException e) {
                metrics.retried("config");
                log.atWarn().addKeyValue("error", e.getMessage()).log("waiting for the workspace config; batch kept");
            } catch (TransformerUnavailableException e) {
                metrics.retried("transformer");
                log.atWarn()
                        .addKeyValue("error", e.getMessage())
                        .log("transformer unavailable; batch kept, will retry");
            } catch (RuntimeException e) {
                Optional<String> refusal = DataRefusal.reason(e);
                if (refusal.isPresent()) return quarantine(batch, refusal.get());
                metrics.retried("error");
                log.atWarn().setCause(e).log("batch failed before commit; will retry");
            }
            if (!leases.owned().containsAll(batch.partitions())) {
                abandon(batch, "partitions moved while the batch was retried");
                return false;
            }
            pause(backoff);
            backoff = min(backoff.multipliedBy(2), properties.transformer().maxBackoff());
        }
        return false;
    }

    /**
     * The database refused the batch's data (the same rows fail whenever they are written, unlike an outage):
     * the batch is split in halves, each processed in order, until the job that fails alone is found; that job is
     * aborted with the database's reason and every other job goes on. Order holds: the halves are stored one after
     * the other, and a user's later jobs are never stored before the earlier ones that can be.
     */
    private boolean quarantine(Batch batch, String reason) {
        metrics.retried("quarantine");
        if (batch.jobs().size() == 1) {
            log.atWarn()
                    .addKeyValue("gwJobId", batch.lastJobId())
                    .addKeyValue("reason", reason)
                    .log("the database refuses this job alone; aborting it");
            Duration backoff = properties.transformer().minBackoff();
            while (running) {
                try {
                    store.quarantine(batch, reason);
                    cursor = batch.lastJobId();
                    return true;
                } catch (LeaseLostException e) {
                    abandon(batch, e.getMessage());
                    return false;
                } catch (RuntimeException e) {
                    log.atWarn().setCause(e).log("could not abort the refused job; will retry");
                    if (!leases.owned().containsAll(batch.partitions())) {
                        abandon(batch, "partitions moved while the batch was retried");
                        return false;
                    }
                    pause(backoff);
                    backoff = min(
                            backoff.multipliedBy(2), properties.transformer().maxBackoff());
                }
            }
            return false;
        }
        log.atInfo()
                .addKeyValue("jobs", batch.jobs().size())
                .addKeyValue("reason", reason)
                .log("the database refused a batch; splitting it to find the job it refuses");
        int half = batch.jobs().size() / 2;
        return process(batch.slice(0, half))
                && process(batch.slice(half, batch.jobs().size()));
    }

    /** Drops an uncommitted batch; its jobs in partitions still owned become unprocessed again. */
    private void abandon(Batch batch, String reason) {
        metrics.retried("abandoned");
        log.atInfo()
                .addKeyValue("reason", reason)
                .addKeyValue("jobs", batch.jobs().size())
                .log("batch abandoned");
        cursor = 0;
        pendingReset.addAll(batch.partitions());
        resetExecuting(leases.owned());
    }

    private void resetExecuting(Set<Integer> owned) {
        Set<Integer> mine = new HashSet<>(pendingReset);
        mine.retainAll(owned);
        try {
            if (!mine.isEmpty())
                tx.executeWithoutResult(status -> {
                    leases.assertHeld(mine); // only partitions this replica still holds, until commit
                    jobsDbs.recovery().resetExecuting(Queue.GW, mine);
                });
            pendingReset.clear(); // partitions not owned any more are recovered by their new owner
            cursor = 0;
        } catch (LeaseLostException e) {
            pendingReset.clear();
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("could not reset executing jobs of an abandoned batch; will retry");
        }
    }

    /** When idle, the cursor restarts at 0 now and then: a safety net, it costs one scan of the done jobs. */
    private void rescanNowAndThen() {
        if (cursor > 0
                && System.nanoTime() - lastRescanNanos
                        > properties.cursorRescanInterval().toNanos()) {
            cursor = 0;
            lastRescanNanos = System.nanoTime();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("processor-loop").daemon().start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t == null) return;
        t.interrupt();
        try {
            t.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    public boolean loopAlive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }
}
