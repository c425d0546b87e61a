package dev.eventpipe.gateway.write;

import dev.eventpipe.jobsdb.DataRefusal;
import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Group commit for the gw queue. Requests put their jobs in a bounded queue and wait; one writer thread takes
 * everything pending (up to {@code maxBatchEvents}), stores it with one {@code JobsDb.store} call (one COPY, one
 * transaction) and then completes every request of the batch with the same outcome. While a commit runs, the next
 * batch gathers, so batches grow with load and no timer delays a quiet gateway.
 *
 * <p>Outages fail fast: after a failed commit everything still queued fails at once, and new requests are refused
 * for {@code failFast}; then the next batch probes the database again (so recovery needs no restart). Each commit
 * is bounded by the pool's connection timeout and the driver's socket timeout, so no thread waits forever.
 */
@Component
public class BatchWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

    private final JobsDb gw;
    private final WriterProperties properties;
    private final BlockingQueue<PendingWrite> queue;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Thread thread;
    private final DistributionSummary batchSize;
    private final Timer commitLatency;
    private final Counter commitsOk;
    private final Counter commitsFailed;
    private volatile long failingUntil = System.nanoTime();
    private volatile boolean running = true;

    @Autowired
    BatchWriter(JobsDbs jobsDbs, WriterProperties properties, MeterRegistry meters) {
        this(jobsDbs.queue(Queue.GW), properties, meters);
    }

    BatchWriter(JobsDb gw, WriterProperties properties, MeterRegistry meters) {
        this.gw = gw;
        this.properties = properties;
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.batchSize = DistributionSummary.builder("gateway.batch.size")
                .description("events stored by one commit")
                .baseUnit("events")
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue((double) properties.maxBatchEvents())
                .register(meters);
        this.commitLatency = Timer.builder("gateway.commit.latency")
                .description("time to store and commit one batch")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(properties.writeTimeout())
                .register(meters);
        this.commitsOk = meters.counter("gateway.commits", "result", "ok");
        this.commitsFailed = meters.counter("gateway.commits", "result", "failed");
        meters.gauge("gateway.writer.queue", queue, BlockingQueue::size);
        this.thread = Thread.ofPlatform().name("gw-batch-writer").daemon().start(this::run);
    }

    /** Stores the jobs of one request and returns once they are committed, or why they were not. */
    public WriteOutcome write(List<NewJob> jobs) {
        if (!running || !alive() || System.nanoTime() - failingUntil < 0) return new WriteOutcome.Refused();
        long bytes = 0;
        for (NewJob job : jobs) bytes += job.payload().length();
        if (queuedBytes.addAndGet(bytes) > properties.maxQueuedBytes() && !queue.isEmpty()) {
            queuedBytes.addAndGet(-bytes);
            return new WriteOutcome.Refused();
        }
        PendingWrite pending = new PendingWrite(jobs, bytes);
        if (!queue.offer(pending)) {
            queuedBytes.addAndGet(-bytes);
            return new WriteOutcome.Refused();
        }
        return pending.await(properties.writeTimeout());
    }

    /** True while commits succeed (or none has failed within the fail-fast window). */
    public boolean healthy() {
        return System.nanoTime() - failingUntil >= 0;
    }

    /** False once the writer thread has ended (stopped, or killed by something no catch could hold). */
    public boolean alive() {
        return thread.isAlive();
    }

    private void run() {
        try {
            while (running || !queue.isEmpty()) {
                List<PendingWrite> batch;
                try {
                    batch = nextBatch();
                } catch (InterruptedException e) {
                    break;
                }
                if (!batch.isEmpty()) commit(batch);
            }
        } finally {
            // also when an Error escaped: nobody may wait for a writer that is gone
            failAll(new WriteOutcome.Refused());
        }
    }

    private List<PendingWrite> nextBatch() throws InterruptedException {
        PendingWrite first = queue.poll(100, TimeUnit.MILLISECONDS);
        List<PendingWrite> batch = new ArrayList<>();
        int events = 0;
        for (PendingWrite next = first; next != null; next = queue.poll()) {
            queuedBytes.addAndGet(-next.bytes);
            if (!next.claim()) continue; // the request gave up waiting: its jobs are dropped, never written
            batch.add(next);
            events += next.jobs.size();
            PendingWrite peek = queue.peek();
            if (peek == null || events + peek.jobs.size() > properties.maxBatchEvents()) break;
        }
        return batch;
    }

    private void commit(List<PendingWrite> batch) {
        List<NewJob> jobs = new ArrayList<>();
        for (PendingWrite p : batch) jobs.addAll(p.jobs);
        long start = System.nanoTime();
        try {
            gw.store(jobs);
        } catch (Throwable e) { // an Error too: the claimed requests must hear an answer, and the writer goes on
            commitsFailed.increment();
            Optional<String> refusal = DataRefusal.reason(e);
            if (refusal.isPresent() && batch.size() > 1) {
                log.atWarn()
                        .addKeyValue("requests", batch.size())
                        .addKeyValue("reason", refusal.get())
                        .log("gw commit refused by the database; storing its requests one by one");
                batch.forEach(this::commitAlone);
                return;
            }
            if (refusal.isPresent()) {
                refused(batch.getFirst(), refusal.get());
                return;
            }
            failingUntil = System.nanoTime() + properties.failFast().toNanos();
            log.atError()
                    .setCause(e)
                    .addKeyValue("events", jobs.size())
                    .addKeyValue("requests", batch.size())
                    .addKeyValue("error", rootMessage(e))
                    .log("gw commit failed; failing queued requests fast");
            // the queue first: a request sent after this batch heard its answer is not failed for the batch's error
            WriteOutcome failed = new WriteOutcome.Failed();
            failAll(failed);
            batch.forEach(p -> p.complete(failed));
            return;
        }
        commitLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        batchSize.record(jobs.size());
        commitsOk.increment();
        WriteOutcome stored = new WriteOutcome.Stored();
        batch.forEach(p -> p.complete(stored));
    }

    /** After a group commit the database refused: the one request whose own data it refuses fails alone. */
    private void commitAlone(PendingWrite pending) {
        try {
            gw.store(pending.jobs);
            commitsOk.increment();
            pending.complete(new WriteOutcome.Stored());
        } catch (Throwable e) {
            commitsFailed.increment();
            Optional<String> refusal = DataRefusal.reason(e);
            if (refusal.isPresent()) refused(pending, refusal.get());
            else {
                log.atError().setCause(e).log("gw commit failed while storing a request alone");
                pending.complete(new WriteOutcome.Failed());
            }
        }
    }

    private void refused(PendingWrite pending, String reason) {
        log.atWarn()
                .addKeyValue("events", pending.jobs.size())
                .addKeyValue("reason", reason)
                .log("a request's events were refused by the database; answered 400");
        pending.complete(new WriteOutcome.DataRefused(reason));
    }

    // Requests still queued were never written: they fail (and may be retried by the client).
    private void failAll(WriteOutcome outcome) {
        for (PendingWrite p; (p = queue.poll()) != null; ) {
            queuedBytes.addAndGet(-p.bytes);
            if (p.claim()) p.complete(outcome);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        message = message.replace('\n', ' ').replace('\r', ' ');
        return message.length() > 300 ? message.substring(0, 300) : message;
    }

    /** Stops taking requests, finishes what is queued, and waits for the writer thread. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(properties.writeTimeout().toMillis() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
