package dev.eventpipe.processor.pipeline;

import dev.eventpipe.jobsdb.DataRefusal;
import dev.eventpipe.jobsdb.LeaseLostException;
import dev.eventpipe.jobsdb.PartitionLeases;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.dedup.DedupConflictException;
import dev.eventpipe.processor.dedup.DedupKey;
import dev.eventpipe.processor.fanout.UnknownSourceException;
import dev.eventpipe.processor.partition.LeaseEvents;
import dev.eventpipe.processor.store.StoreStage;
import dev.eventpipe.processor.transform.TransformerUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The processor's loop, pipelined: a fetch thread reads the next batches of the owned partitions while workers run
 * the stages of the batches already fetched and one store thread commits them <b>in fetch order</b>, one
 * transaction each, as the serial loop did. A batch that cannot be stored (transformer down, database error) is
 * retried by the store thread from the start of the stages with exponential backoff, with the config current at
 * that moment; nothing fetched after it is committed meanwhile (the fetch stops when the pipeline is full), so
 * per-user order holds. At most {@code processor.pipeline.max-batches-in-flight} batches holding at most {@code
 * max-bytes-in-flight} of payload are between fetch and commit ({@link InFlightBudget}).
 *
 * <p>The fetch writes nothing: a job in flight is unprocessed in the database until its batch commits, so only the
 * cursor (the last job id fetched) keeps it out of the next reads. The cursor moves only once a batch is in the
 * pipeline, so a failure before leaves its jobs to the next read, in order. It goes back to 0 whenever jobs below
 * it may be unprocessed (partitions gained, batches abandoned, and now and then when idle), and only when no batch is
 * in flight: until then the fetch thread fetches nothing, so no job is ever in two batches.
 *
 * <p>A batch whose partitions were lost is abandoned, and with it every batch fetched after it (they are dropped
 * uncommitted, under a new epoch); their jobs are read again from job id 0 once none is in flight. Dedup reads the
 * committed ids while earlier batches may still be on their way; {@link RecentClaims} makes the store thread run a
 * batch's stages again when an id it accepted was committed meanwhile.
 */
@Component
public class ProcessingLoop implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ProcessingLoop.class);

    /** A batch's stages and rows done ahead of its commit, and the commit number before its dedup read. */
    private record Prepared(BatchWork work, StoreStage.Rows rows, long claimsMark) {}

    /** A fetched batch on its way to the store thread. */
    private record InFlight(Batch batch, Future<Prepared> prepared, long epoch, long bytes) {}

    private final FetchStage fetch;
    private final BatchPipeline pipeline;
    private final StoreStage store;
    private final PartitionLeases leases;
    private final LeaseEvents leaseEvents;
    private final WorkspaceConfigClient config;
    private final ProcessorProperties properties;
    private final PipelineMetrics metrics;
    private final InFlightBudget budget;
    private final RecentClaims claims;
    private final FetchFailures fetchFailures;
    private final LinkedBlockingQueue<InFlight> fetched = new LinkedBlockingQueue<>();
    /** Moves when the store thread abandons a batch: every batch fetched under an older epoch is dropped. */
    private final AtomicLong epoch = new AtomicLong();

    private volatile boolean running;
    private volatile @Nullable Thread fetchThread;
    private volatile @Nullable Thread storeThread;
    private volatile @Nullable ExecutorService workers;
    // the fetch thread's own state
    private long cursor;
    /** The cursor goes back to 0 once no batch is in flight; nothing is fetched until then. */
    private boolean rewind;

    private long seenEpoch;
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
            ProcessorProperties properties,
            PipelineMetrics metrics) {
        this.fetch = fetch;
        this.pipeline = pipeline;
        this.store = store;
        this.leases = leases;
        this.leaseEvents = leaseEvents;
        this.config = config;
        this.properties = properties;
        this.metrics = metrics;
        ProcessorProperties.Pipeline settings = properties.pipeline();
        this.budget = new InFlightBudget(
                settings.maxBatchesInFlight(), settings.maxBytesInFlight().toBytes());
        // a batch's dedup read is at most max-batches-in-flight commits old, more if a bisection commits slices
        this.claims = new RecentClaims(Math.max(16, 4 * settings.maxBatchesInFlight()));
        metrics.inFlight(budget::batches, budget::bytes);
        this.fetchFailures = new FetchFailures(metrics);
    }

    // ---- fetch thread ----

    private void fetchLoop() {
        while (running) {
            boolean worked = false;
            try {
                worked = fetchOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the cursor has not moved: the jobs of a fetch that failed are read again, in order
                fetchFailures.failed("processor fetch failed; will retry", e, lastOwned, "after gw job " + cursor);
            } catch (Error e) {
                // only a VM error (not a stack overflow) ends the thread; /health then shows the loop stopped
                if (StageFailure.fatal(e)) {
                    log.atError().setCause(e).log("processor fetch failed with an error");
                    throw e;
                }
                fetchFailures.failed("processor fetch failed with an error", e, lastOwned, "after gw job " + cursor);
            }
            if (!worked)
                pause(fetchFailures.pause(
                        properties.idleSleep(), properties.transformer().maxBackoff()));
        }
    }

    /** One fetch into the pipeline; false when there was nothing to do (the caller pauses). */
    private boolean fetchOnce() throws InterruptedException {
        if (!config.hasLoaded()) return false;
        long waitStart = System.nanoTime();
        long room = budget.awaitRoom(properties.idleSleep());
        metrics.waited("fetch_wait", System.nanoTime() - waitStart);
        if (room == 0) return true; // the pipeline is full; awaitRoom has waited
        long currentEpoch = epoch.get();
        Set<Integer> owned = leases.owned();
        long generation = leaseEvents.generation();
        // Jobs below the cursor may be unprocessed: those of abandoned and dropped batches (a new epoch), those of
        // gained partitions. The generation and the owned set are updated one after the other by the lease thread,
        // so either may be seen new first: a change of either counts.
        if (currentEpoch != seenEpoch || generation != seenGeneration || !lastOwned.containsAll(owned)) rewind = true;
        seenEpoch = currentEpoch;
        seenGeneration = generation;
        lastOwned = owned;
        if (rewind) {
            rewindOnceEmpty();
            return true; // the next call fetches, with the room and the leases of that moment
        }
        long after = cursor;
        // found nothing: every gw job up to where the read walked has a status or is in flight, the next read starts
        // there (P3-1)
        Optional<Batch> next = metrics.time("fetch", () -> fetch.fetch(owned, after, room, walked -> cursor = walked));
        if (next.isEmpty()) {
            fetchFailures.worked();
            if (budget.batches() == 0) metrics.idle();
            rescanNowAndThen();
            return false;
        }
        Batch batch = next.get();
        long bytes = batch.payloadBytes();
        ExecutorService pool = workers;
        if (pool == null) return false; // stopping; the jobs stay unprocessed
        Future<Prepared> prepared = pool.submit(() -> prepare(batch));
        boolean added = false;
        try {
            budget.add(bytes);
            added = true;
            fetched.add(new InFlight(batch, prepared, currentEpoch, bytes));
        } catch (RuntimeException | Error e) {
            prepared.cancel(false);
            if (added) budget.release(bytes); // the store thread never saw it, it would never release it
            throw e;
        }
        // only now that the batch is in the pipeline: a failure before leaves the cursor, and the jobs are read again
        cursor = batch.lastJobId();
        fetchFailures.worked();
        return true;
    }

    /**
     * Restarts the cursor at 0 once no batch is in flight, waiting for that at most {@code idle-sleep}. With nothing
     * in flight, every job below the cursor has a status or is unprocessed and in no batch, so a read from 0 takes
     * each job once; a read from below a batch in flight would take its jobs again, as they are unprocessed until it
     * commits. Only this thread adds batches, so none enters before it fetches again.
     */
    private void rewindOnceEmpty() throws InterruptedException {
        long waitStart = System.nanoTime();
        boolean empty = budget.awaitEmpty(properties.idleSleep());
        metrics.waited("fetch_wait", System.nanoTime() - waitStart);
        if (!empty) return;
        rewind = false;
        cursor = 0;
    }

    /**
     * The in-memory stages of one attempt and the rows its commit will write (built here, so the store thread only
     * writes); the commit number is taken before dedup reads the database.
     */
    private Prepared prepare(Batch batch) {
        long mark = claims.mark();
        BatchWork work = pipeline.run(batch, config.current());
        StoreStage.Rows rows = metrics.time("build", () -> store.rows(batch, work));
        return new Prepared(work, rows, mark);
    }

    /**
     * When idle, the cursor restarts at 0 now and then, once no batch is in flight ({@link #rewindOnceEmpty}): a
     * safety net. It costs one walk of the live gw jobs, at most {@link FetchStage#MAX_WINDOWS} windows per fetch,
     * each fetch that finds nothing moving the cursor to where it got; not a walk from 0 on every idle fetch.
     */
    private void rescanNowAndThen() {
        if (cursor > 0
                && System.nanoTime() - lastRescanNanos
                        > properties.cursorRescanInterval().toNanos()) {
            rewind = true;
            lastRescanNanos = System.nanoTime();
        }
    }

    // ---- store thread ----

    private void storeLoop() {
        while (running) {
            InFlight next;
            try {
                next = fetched.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (next == null) continue;
            try {
                if (next.epoch() != epoch.get()) drop(next);
                else process(next.batch(), next.prepared());
            } catch (Throwable t) {
                // process handles every failure of a batch; this is the net, so the thread lives on and the batch
                // is abandoned (its jobs read again) rather than left with nobody working on it. Only a VM error
                // (not a stack overflow) ends the thread; /health then shows the loop stopped.
                log.atError().setCause(t).log("processor store thread failed on a batch");
                if (StageFailure.fatal(t)) throw t;
                abandon(next.batch(), "unexpected failure: " + t);
            } finally {
                budget.release(next.bytes());
            }
        }
    }

    /** A batch fetched before an abandon: never committed; its jobs are read again once nothing is in flight. */
    private void drop(InFlight stale) {
        stale.prepared().cancel(false);
        metrics.retried("dropped");
        log.atInfo()
                .addKeyValue("jobs", stale.batch().jobs().size())
                .log("batch fetched before an abandoned one dropped; its jobs will be read again");
    }

    /**
     * Runs and stores one batch, retrying with backoff until it is stored, abandoned or quarantined; the first
     * attempt uses the stages already run by a worker ({@code ahead}), if any. Returns false when the batch was
     * abandoned (its partitions moved), so the caller stops working on the rest of it.
     */
    private boolean process(Batch batch, @Nullable Future<Prepared> ahead) {
        Duration backoff = properties.transformer().minBackoff();
        while (running) {
            Future<Prepared> done = ahead;
            ahead = null;
            try {
                Prepared prepared = done != null ? await(done, batch) : prepare(batch);
                if (prepared == null) return false; // stopping
                BatchWork work = prepared.work();
                List<DedupKey> keys = prepared.rows().dedupIds();
                if (claims.claimedSince(prepared.claimsMark(), keys)) {
                    // an id this batch accepted was committed by an earlier batch after this one's dedup read
                    metrics.retried("dedup_overlap");
                    continue;
                }
                StoreStage.Stored stored = metrics.time("store", () -> store.commit(batch, work, prepared.rows()));
                claims.committed(keys);
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
                if (refusal.isPresent()) return quarantine(batch, refusal.get(), "store");
                Optional<String> poison = StageFailure.reason(e);
                if (poison.isPresent()) return quarantine(batch, poison.get(), "processing");
                metrics.retried("error");
                log.atWarn().setCause(e).log("batch failed before commit; will retry");
            } catch (Error e) {
                // a stack overflow from a deeply nested event, or another error of the stages: the same on every
                // attempt, so the batch is split like a refused one (it used to end this thread, again after a
                // restart); a VM error ends the thread, a class that cannot be loaded is retried
                if (StageFailure.fatal(e)) throw e;
                Optional<String> poison = StageFailure.reason(e);
                if (poison.isPresent()) return splitAfterError(batch, e, poison.get());
                metrics.retried("error");
                log.atError().setCause(e).log("batch failed before commit with an error; will retry");
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
     * The worker's result for {@code batch}: its failure is thrown as if the stages had run here; null when this
     * thread is stopping. A cancelled result (never expected for a live batch) is computed here instead.
     */
    private @Nullable Prepared await(Future<Prepared> prepared, Batch batch) {
        long start = System.nanoTime();
        try {
            return prepared.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return null;
        } catch (CancellationException e) {
            return prepare(batch);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } finally {
            metrics.waited("store_wait", System.nanoTime() - start);
        }
    }

    private boolean splitAfterError(Batch batch, Error e, String reason) {
        var line = log.atError().addKeyValue("jobs", batch.jobs().size()).addKeyValue("error", e);
        // a stack overflow's trace is the same frame a thousand times, and it would be logged at every split
        if (!(e instanceof StackOverflowError)) line = line.setCause(e);
        line.log("the stages of a batch threw an error; splitting it to find the job");
        return quarantine(batch, reason, "processing");
    }

    /**
     * The database refused the batch's data (the same rows fail whenever they are written, unlike an outage), or
     * its stages failed for its data ({@link StageFailure}): the batch is split in halves, each processed in order,
     * until the job that fails alone is found; that job is aborted with the reason (and {@code stage}: {@code store}
     * or {@code processing}) and every other job goes on. Order holds: the halves are stored one after the other,
     * and a user's later jobs are never stored before the earlier ones that can be.
     */
    private boolean quarantine(Batch batch, String reason, String stage) {
        metrics.retried("quarantine");
        if (batch.jobs().size() == 1) {
            log.atWarn()
                    .addKeyValue("gwJobId", batch.lastJobId())
                    .addKeyValue("reason", reason)
                    .log("this job fails alone; aborting it");
            Duration backoff = properties.transformer().minBackoff();
            while (running) {
                try {
                    store.quarantine(batch, reason, stage);
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
                .log("a batch failed for its data; splitting it to find the job that fails");
        int half = batch.jobs().size() / 2;
        Batch second = batch.slice(half, batch.jobs().size());
        // the first half abandoned (a new epoch), the second is never tried: its jobs are read again with the first's
        return process(batch.slice(0, half), null) && process(second, null);
    }

    /**
     * Drops an uncommitted batch, and every batch fetched after it (a new epoch): their jobs, unprocessed, are read
     * again from job id 0 once none of them is in flight (see {@link #fetchOnce}).
     */
    private void abandon(Batch batch, String reason) {
        metrics.retried("abandoned");
        log.atInfo()
                .addKeyValue("reason", reason)
                .addKeyValue("jobs", batch.jobs().size())
                .log("batch abandoned");
        epoch.incrementAndGet();
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
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(
                properties.pipeline().transformThreads(),
                r -> Thread.ofPlatform()
                        .name("processor-stages-" + n.incrementAndGet())
                        .daemon()
                        .unstarted(r));
        storeThread = Thread.ofPlatform().name("processor-loop").daemon().start(this::storeLoop);
        fetchThread = Thread.ofPlatform().name("processor-fetch").daemon().start(this::fetchLoop);
    }

    /** Stops fetching and committing; the jobs of batches in flight stay unprocessed (nothing was written). */
    @Override
    public void stop() {
        running = false;
        Thread f = fetchThread;
        Thread s = storeThread;
        ExecutorService pool = workers;
        workers = null;
        if (f != null) f.interrupt();
        if (s != null) s.interrupt();
        if (pool != null) pool.shutdownNow();
        try {
            if (f != null) f.join(Duration.ofSeconds(30));
            if (s != null) s.join(Duration.ofSeconds(30));
            if (pool != null) pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        fetchThread = null;
        storeThread = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * While the fetch has failed several times in a row and nothing was fetched (review 1100 P3-4: a database error
     * that repeats stops the whole pipeline, the threads alive): how often, and the last error's class.
     */
    public Optional<String> fetchFailing() {
        return fetchFailures.stalled();
    }

    /** Both the fetch and the store thread are alive. */
    public boolean loopAlive() {
        Thread f = fetchThread;
        Thread s = storeThread;
        return f != null && f.isAlive() && s != null && s.isAlive();
    }
}
