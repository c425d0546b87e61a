package dev.eventpipe.router.batching;

import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Which destinations batch: those whose config sets {@code enableBatching: true} (a per-destination switch, as
 * Segment's "Enable Batching" is) and whose type the transformer declares able to batch. Until the transformer
 * has answered {@code /features} once, a destination that asks for batching is treated as batching: its jobs then
 * wait (failed, not attempted) for the transformer instead of going out in a shape the destination does not
 * expect. A type that cannot batch is delivered job by job.
 */
@Component
public class BatchPolicy {
    private final WorkspaceConfigClient config;
    private final BatchTransformerClient transformer;

    BatchPolicy(WorkspaceConfigClient config, BatchTransformerClient transformer) {
        this.config = config;
        this.transformer = transformer;
    }

    /** The destination as configured now, when its jobs are to be batched. */
    public Optional<Destination> batching(String destinationId, String destinationType) {
        return config.current()
                .destinationById(destinationId)
                .filter(d -> enabled(d.config()))
                .filter(d -> transformer.canBatch(destinationType).orElse(true));
    }

    static boolean enabled(Map<String, Object> destinationConfig) {
        Object value = destinationConfig.get("enableBatching");
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }
}
