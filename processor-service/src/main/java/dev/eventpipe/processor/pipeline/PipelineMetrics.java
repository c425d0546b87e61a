package dev.eventpipe.processor.pipeline;

import dev.eventpipe.processor.stats.Stage;
import dev.eventpipe.processor.store.StoreStage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Micrometer meters: {@code processor.pipeline.lag} (timer: from gw store to rt commit, per gw job; and the gauge
 * {@code processor.pipeline.oldest.lag} (seconds) for the oldest job of the last batch, 0 when idle),
 * {@code processor.events} by stage (throughput), {@code processor.jobs.stored} by queue,
 * {@code processor.batches} by result and {@code processor.stage.duration} by stage (fetch, dedup, fanout,
 * transform, build (the rows of the commit), store (its transaction); and the pipeline's waits, fetch_wait and store_wait). The stages of different batches overlap
 * (ProcessingLoop), so their seconds may add up to more than the time they were measured over.
 */
@Component
public class PipelineMetrics {
    private final MeterRegistry registry;
    private final Timer lag;
    private final AtomicLong lastLagMillis = new AtomicLong();
    private final Map<Stage, Counter> events = new EnumMap<>(Stage.class);
    private final Counter rtJobs;
    private final Counter batchRtJobs;

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.lag = Timer.builder("processor.pipeline.lag")
                .description("time from the gateway's commit to the processor's commit, per gw job")
                .register(registry);
        Gauge.builder("processor.pipeline.oldest.lag", lastLagMillis, v -> v.get() / 1000.0)
                .description("age of the oldest gw job of the last stored batch; 0 when idle")
                .baseUnit("seconds")
                .register(registry);
        for (Stage s : Stage.values())
            events.put(
                    s,
                    Counter.builder("processor.events").tag("stage", s.dbName()).register(registry));
        this.rtJobs =
                Counter.builder("processor.jobs.stored").tag("queue", "rt").register(registry);
        this.batchRtJobs = Counter.builder("processor.jobs.stored")
                .tag("queue", "batch_rt")
                .register(registry);
    }

    void stored(Batch batch, BatchWork work, StoreStage.Stored stored) {
        Instant now = Instant.now();
        for (GwJob job : batch.jobs()) lag.record(Duration.between(job.job().createdAt(), now));
        lastLagMillis.set(Duration.between(batch.oldestCreatedAt(), now).toMillis());
        for (Stage s : Stage.values()) events.get(s).increment(work.counts().total(s));
        rtJobs.increment(stored.rtJobs());
        batchRtJobs.increment(stored.batchRtJobs());
        registry.counter("processor.batches", "result", "stored").increment();
    }

    /**
     * The pipeline's gauges: {@code processor.pipeline.batches.in.flight} (fetched, not yet committed or dropped)
     * and {@code processor.pipeline.bytes.in.flight} (their gw payload bytes).
     */
    void inFlight(java.util.function.IntSupplier batches, java.util.function.LongSupplier bytes) {
        Gauge.builder("processor.pipeline.batches.in.flight", batches::getAsInt)
                .description("batches fetched and not yet committed or dropped")
                .register(registry);
        Gauge.builder("processor.pipeline.bytes.in.flight", bytes::getAsLong)
                .description("gw payload bytes of the batches in flight")
                .baseUnit("bytes")
                .register(registry);
    }

    /**
     * Time a pipeline thread spent waiting, under {@code processor.stage.duration}: {@code fetch_wait} (the fetch
     * thread waiting for room in the pipeline) and {@code store_wait} (the store thread waiting for a batch's stages).
     */
    void waited(String stage, long nanos) {
        Timer.builder("processor.stage.duration")
                .tag("stage", stage)
                .register(registry)
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Runs one stage of a batch, timed as {@code processor.stage.duration{stage}}. */
    void time(String stage, Runnable work) {
        Timer.Sample sample = Timer.start(registry);
        try {
            work.run();
        } finally {
            sample.stop(Timer.builder("processor.stage.duration")
                    .tag("stage", stage)
                    .register(registry));
        }
    }

    <T> T time(String stage, java.util.function.Supplier<T> work) {
        Timer.Sample sample = Timer.start(registry);
        try {
            return work.get();
        } finally {
            sample.stop(Timer.builder("processor.stage.duration")
                    .tag("stage", stage)
                    .register(registry));
        }
    }

    /** Per-stage totals in seconds, for a log line. */
    String stageSummary() {
        StringBuilder out = new StringBuilder();
        registry.find("processor.stage.duration")
                .timers()
                .forEach(t -> out.append(t.getId().getTag("stage"))
                        .append('=')
                        .append(String.format("%.1fs", t.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) / 1000))
                        .append(' '));
        return out.toString().trim();
    }

    void idle() {
        lastLagMillis.set(0);
    }

    void retried(String reason) {
        registry.counter("processor.batches", "result", reason).increment();
    }

    /**
     * {@code processor.fetch.failures{step=fetch}}: a failed fetch. The tag stays so the series keeps its labels
     * for whoever scrapes it; its other values ({@code mark}, {@code reset}) went with the gw executing mark.
     */
    void fetchFailed() {
        registry.counter("processor.fetch.failures", "step", "fetch").increment();
    }

    /** {@code processor.fetch.unparseable}: a fetched gw job aborted because it cannot be parsed (review 1330 P2-1). */
    void fetchUnparseable() {
        registry.counter("processor.fetch.unparseable").increment();
    }

    /** The gauge {@code processor.fetch.failing}: fetches failed in a row, 0 once one gets through. */
    void fetchFailing(java.util.function.IntSupplier run) {
        Gauge.builder("processor.fetch.failing", run::getAsInt)
                .description("fetches failed in a row; 0 once one gets through")
                .register(registry);
    }
}
