package dev.eventpipe.model.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable view of one workspace config with the lookups the data plane needs on every event: write key to
 * source, source id to source, destination id to destination. A new index is built on every config change and
 * swapped in whole, so readers never see half of an update.
 */
public final class ConfigIndex {
    private final WorkspaceConfig config;
    private final Map<String, Source> byWriteKey = new HashMap<>();
    private final Map<String, Source> bySourceId = new HashMap<>();
    private final Map<String, Destination> destinationsById = new HashMap<>();

    private ConfigIndex(WorkspaceConfig config) {
        this.config = config;
        for (Source source : config.sources()) {
            if (source.writeKey() != null && !source.writeKey().isEmpty()) byWriteKey.put(source.writeKey(), source);
            bySourceId.put(source.id(), source);
            for (Destination d : source.destinations()) destinationsById.put(d.id(), d);
        }
    }

    public static ConfigIndex of(WorkspaceConfig config) {
        return new ConfigIndex(config);
    }

    public static ConfigIndex empty() {
        return new ConfigIndex(WorkspaceConfig.empty());
    }

    public WorkspaceConfig config() {
        return config;
    }

    public Optional<Source> sourceByWriteKey(String writeKey) {
        return Optional.ofNullable(byWriteKey.get(writeKey));
    }

    public Optional<Source> sourceById(String sourceId) {
        return Optional.ofNullable(bySourceId.get(sourceId));
    }

    public Optional<Destination> destinationById(String destinationId) {
        return Optional.ofNullable(destinationsById.get(destinationId));
    }

    /** All destinations configured for a source, enabled or not, in config order. */
    public List<Destination> destinationsOf(String sourceId) {
        Source source = bySourceId.get(sourceId);
        return source == null ? List.of() : source.destinations();
    }
}
