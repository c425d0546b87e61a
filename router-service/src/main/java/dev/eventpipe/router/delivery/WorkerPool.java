package dev.eventpipe.router.delivery;

import dev.eventpipe.router.config.RouterProperties;
import dev.eventpipe.router.status.RtJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The workers of every destination seen so far, created on first use with the settings of its type. */
public final class WorkerPool {
    private final ConcurrentHashMap<String, DestinationWorkers> destinations = new ConcurrentHashMap<>();
    private final RouterProperties properties;
    private final WorkerContext context;
    private final MeterRegistry meters;
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

    /** Workers whose thread has ended although the router runs: their queued jobs would never be delivered. */
    public long deadWorkers() {
        if (stopped) return 0;
        return destinations.values().stream()
                .mapToLong(DestinationWorkers::deadWorkers)
                .sum();
    }

    /** Stops every worker; returns the jobs handed over but not started. */
    public List<RtJob> stop() {
        stopped = true;
        List<RtJob> unstarted = new ArrayList<>();
        destinations.values().parallelStream().map(DestinationWorkers::stop).forEach(l -> {
            synchronized (unstarted) {
                unstarted.addAll(l);
            }
        });
        return unstarted;
    }
}
