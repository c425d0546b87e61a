package dev.eventpipe.router.delivery;

import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.leases.RouterPhases;
import dev.eventpipe.router.status.Finished;
import dev.eventpipe.router.status.RtJob;
import dev.eventpipe.router.status.StatusJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;

/**
 * The workers of every destination seen so far, created on first use with the settings of its type. Lifecycle
 * phase {@link RouterPhases#WORKERS}: stopped after the pickup (nothing more is handed over) and before the status
 * committer, which writes what the workers leave: each finishes its send in flight, and the jobs handed over but
 * not started are put back as {@code waiting}.
 */
public final class WorkerPool implements SmartLifecycle {
    private final ConcurrentHashMap<String, DestinationWorkers> destinations = new ConcurrentHashMap<>();
    private final RouterProperties properties;
    private final WorkerContext context;
    private final MeterRegistry meters;
    private volatile boolean started;
    private volatile boolean stopped;

    public WorkerPool(RouterProperties properties, WorkerContext context, MeterRegistry meters) {
        this.properties = properties;
        this.context = context;
        this.meters = meters;
    }

    public DestinationWorkers of(String destinationId, String destinationType) {
        return destinations.computeIfAbsent(destinationId, id -> {
            if (stopped) throw new IllegalStateException("router stopped");
            var settings = properties.forType(destinationType);
            DestinationWorkers workers = new DestinationWorkers(
                    id,
                    settings,
                    i -> new Worker("router-" + destinationType + "-" + id + "-" + i, context, settings),
                    Counter.builder("router.throttled")
                            .tag("destination.type", destinationType)
                            .register(meters));
            workers.start();
            return workers;
        });
    }

    /** The workers of a destination, if any were made yet (none are made here). */
    public java.util.Optional<DestinationWorkers> existing(String destinationId) {
        return java.util.Optional.ofNullable(destinations.get(destinationId));
    }

    /** Workers whose thread has ended although the router runs: their queued jobs would never be delivered. */
    public long deadWorkers() {
        if (stopped) return 0;
        return destinations.values().stream()
                .mapToLong(DestinationWorkers::deadWorkers)
                .sum();
    }

    /** Workers are started per destination, on first use ({@link #of}); after a stop, new ones are. */
    @Override
    public void start() {
        stopped = false;
        started = true;
    }

    /** Stops every worker; the jobs handed over but not started are committed back as {@code waiting}. */
    @Override
    public void stop() {
        Instant now = context.clock().instant();
        for (RtJob job : stopWorkers()) {
            String response = StatusJson.reason("router stopped before delivery", job.firstAttemptedAt());
            context.commit(new Finished(
                    job,
                    StatusUpdate.waiting(job.jobId(), job.attempts(), now, null)
                            .withResponse("", response)
                            .withFirstAttemptedAt(job.firstAttemptedAt()),
                    null));
        }
    }

    /** Stops every worker and forgets it; returns the jobs handed over but not started. */
    private List<RtJob> stopWorkers() {
        stopped = true;
        List<RtJob> unstarted = new ArrayList<>();
        destinations.values().parallelStream().map(DestinationWorkers::stop).forEach(l -> {
            synchronized (unstarted) {
                unstarted.addAll(l);
            }
        });
        destinations.clear();
        return unstarted;
    }

    @Override
    public boolean isRunning() {
        return started && !stopped;
    }

    @Override
    public boolean isAutoStartup() {
        return properties.enabled();
    }

    @Override
    public int getPhase() {
        return RouterPhases.WORKERS;
    }
}
