package dev.eventpipe.gateway.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Request and event counters by source id, request type and outcome. Every tag is bounded: source ids come from
 * the workspace config ({@code none} before authentication), request types from the routes, results from
 * {@link dev.eventpipe.gateway.reply.Reply}. Never user or message ids.
 */
@Component
public class GatewayMetrics {
    private record Key(String sourceId, String reqType, String result) {}

    private record Counters(Counter requests, Counter events) {}

    private final MeterRegistry meters;
    // registering looks the meter up by building its id; a map of records is cheaper on every request
    private final Map<Key, Counters> counters = new ConcurrentHashMap<>();

    GatewayMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    public void request(String sourceId, String reqType, String result, int events) {
        Counters c = counters.computeIfAbsent(new Key(sourceId, reqType, result), this::register);
        c.requests().increment();
        if (events > 0) c.events().increment(events);
    }

    private Counters register(Key key) {
        return new Counters(counter("gateway.requests", key), counter("gateway.events", key));
    }

    private Counter counter(String name, Key key) {
        return Counter.builder(name)
                .tag("source", key.sourceId())
                .tag("reqType", key.reqType())
                .tag("result", key.result())
                .register(meters);
    }
}
