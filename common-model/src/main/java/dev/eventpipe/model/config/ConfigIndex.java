package dev.eventpipe.model.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * An immutable view of the workspace configs a data-plane service serves (one, or every workspace of its control
 * plane), with the lookups it needs on every event: write key to source, source id to source, destination id to
 * destination, workspace id to that workspace's config. A new index is built on every config change and swapped in
 * whole, so readers never see half of an update.
 *
 * <p>Write keys, source ids and destination ids are unique across the control plane's workspaces. One that two
 * workspaces claim (possible only in a hand-written file) resolves to neither, so an event can never be taken into
 * another tenant's workspace; {@link #conflicts()} names them.
 */
public final class ConfigIndex {
    private final Map<String, WorkspaceConfig> workspaces = new LinkedHashMap<>();
    private final Map<String, Source> byWriteKey;
    private final Map<String, Source> bySourceId;
    private final Map<String, Destination> destinationsById;
    private final Set<String> conflicts = new HashSet<>();

    private ConfigIndex(Collection<WorkspaceConfig> configs) {
        for (WorkspaceConfig config : configs) workspaces.putIfAbsent(config.workspaceId(), config);
        List<Owned<Source>> sources = new ArrayList<>();
        List<Owned<Destination>> destinations = new ArrayList<>();
        for (WorkspaceConfig config : workspaces.values()) {
            for (Source source : config.sources()) {
                sources.add(new Owned<>(config.workspaceId(), source));
                for (Destination d : source.destinations()) destinations.add(new Owned<>(config.workspaceId(), d));
            }
        }
        byWriteKey = unique(
                sources.stream()
                        .filter(s -> s.item().writeKey() != null
                                && !s.item().writeKey().isEmpty())
                        .toList(),
                Source::writeKey,
                "write key");
        bySourceId = unique(sources, Source::id, "source id");
        destinationsById = unique(destinations, Destination::id, "destination id");
    }

    private record Owned<T>(String workspaceId, T item) {}

    // The same destination is listed under every source it is connected to: equal ids in one workspace are one.
    private <T> Map<String, T> unique(List<Owned<T>> items, Function<T, String> key, String what) {
        Map<String, T> found = new HashMap<>();
        Map<String, String> workspaceOf = new HashMap<>();
        Set<String> refused = new HashSet<>();
        for (Owned<T> owned : items) {
            String k = key.apply(owned.item());
            String earlier = workspaceOf.putIfAbsent(k, owned.workspaceId());
            if (earlier == null) {
                found.put(k, owned.item());
            } else if (!earlier.equals(owned.workspaceId())) {
                refused.add(k);
            }
        }
        for (String k : refused) {
            found.remove(k);
            conflicts.add(what + " " + k);
        }
        return found;
    }

    /** One workspace's config (RudderStack's single-workspace mode and the file mode). */
    public static ConfigIndex of(WorkspaceConfig config) {
        return new ConfigIndex(List.of(config));
    }

    /** Several workspaces' configs (the namespace mode: every workspace of the control plane). */
    public static ConfigIndex of(Collection<WorkspaceConfig> configs) {
        return new ConfigIndex(configs);
    }

    public static ConfigIndex empty() {
        return new ConfigIndex(List.of());
    }

    /** Every workspace served, by id. */
    public Map<String, WorkspaceConfig> workspaces() {
        return Map.copyOf(workspaces);
    }

    /** One served workspace's config (its libraries, credentials and settings). */
    public Optional<WorkspaceConfig> workspace(String workspaceId) {
        return Optional.ofNullable(workspaces.get(workspaceId));
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

    /** Keys claimed by two workspaces and therefore served by neither ({@code "write key abc"}...). */
    public Set<String> conflicts() {
        return Set.copyOf(conflicts);
    }
}
