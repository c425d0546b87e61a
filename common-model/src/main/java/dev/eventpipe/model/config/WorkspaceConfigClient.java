package dev.eventpipe.model.config;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane's view of the workspace configs it serves (one workspace, or every workspace of its control plane:
 * see {@link WorkspaceConfigs}). It polls one {@link ConfigOrigin}, parses each new version, swaps
 * the {@link ConfigIndex} atomically (readers call {@link #current()} on every event and never block) and tells
 * listeners. A config that fails to parse is ignored: the last good one stays. The last good config is also saved
 * to a {@link LastGoodConfigStore}, from which a restarted service starts while the origin is unreachable.
 *
 * <p>Version: the config in use is named by {@link #version()}, a SHA-256 of the document as fetched (first 16 bytes,
 * hex): the same hash the config backend sends as the document's ETag, so a service's version equals the backend's
 * current one exactly when it runs the current config (the Health page compares them). {@link #scope()} says which
 * document that is: {@code namespace:<name>} (every workspace), {@code workspace:<id>} (one, by token) or
 * {@code file}.
 *
 * <p>Thread-safety: {@link #current()} may be called from any thread; polling runs on one daemon thread.
 */
public final class WorkspaceConfigClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkspaceConfigClient.class);

    private final ConfigOrigin origin;
    private final LastGoodConfigStore store;
    private final Duration pollInterval;
    private final List<Consumer<ConfigIndex>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "workspace-config-poller");
        t.setDaemon(true);
        return t;
    });
    private volatile ConfigIndex current = ConfigIndex.empty();
    private volatile boolean loaded;
    private volatile @Nullable Instant lastSync;
    private volatile @Nullable String lastError;
    private volatile @Nullable String version;
    private @Nullable String lastTag;

    public WorkspaceConfigClient(ConfigOrigin origin, LastGoodConfigStore store, Duration pollInterval) {
        this.origin = origin;
        this.store = store;
        this.pollInterval = pollInterval;
    }

    /** Builds the client from the data-plane settings ({@link ConfigClientSettings#origin()}). */
    public static WorkspaceConfigClient create(ConfigClientSettings settings, LastGoodConfigStore store) {
        return new WorkspaceConfigClient(settings.origin(), store, settings.pollInterval());
    }

    /** Loads once (falling back to the stored last good config), then polls in the background. */
    public WorkspaceConfigClient start() {
        if (!refresh()) {
            store.load().ifPresent(json -> {
                if (apply(json, null)) log.atWarn().log("config origin unreachable; started from last good config");
            });
        }
        poller.scheduleWithFixedDelay(
                this::refreshQuietly, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Polls the origin now; returns true when a config is in use after the call and the origin answered. */
    public synchronized boolean refresh() {
        FetchResult result = origin.fetch(lastTag);
        switch (result) {
            case FetchResult.Changed changed -> {
                if (!apply(changed.json(), changed.tag())) return false;
                store.save(changed.json());
            }
            case FetchResult.Unchanged unchanged -> {}
            case FetchResult.Failed failed -> {
                lastError = failed.reason();
                log.atWarn().addKeyValue("reason", failed.reason()).log("workspace config poll failed");
                return false;
            }
        }
        lastSync = Instant.now();
        lastError = null;
        return true;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.atError().setCause(e).log("workspace config poll crashed");
        }
    }

    private boolean apply(byte[] json, @Nullable String tag) {
        List<WorkspaceConfig> configs;
        try {
            configs = WorkspaceConfigs.parse(json);
        } catch (RuntimeException e) {
            lastError = "invalid workspace config: " + e.getMessage();
            log.atError().addKeyValue("error", e.getMessage()).log("ignoring invalid workspace config");
            return false;
        }
        ConfigIndex index = ConfigIndex.of(configs);
        current = index;
        version = versionOf(json);
        loaded = true;
        lastTag = tag;
        log.atInfo()
                .addKeyValue("mode", origin.mode())
                .addKeyValue("workspaces", configs.size())
                .addKeyValue(
                        "sources",
                        configs.stream().mapToInt(c -> c.sources().size()).sum())
                .log("workspace config applied");
        if (!index.conflicts().isEmpty()) {
            log.atError()
                    .addKeyValue("conflicts", index.conflicts())
                    .log("keys claimed by two workspaces are served by neither");
        }
        for (Consumer<ConfigIndex> listener : listeners) listener.accept(index);
        return true;
    }

    public ConfigIndex current() {
        return current;
    }

    /** True once any config (fresh or last good) is in use. */
    public boolean hasLoaded() {
        return loaded;
    }

    public Optional<Instant> lastSync() {
        return Optional.ofNullable(lastSync);
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    public String mode() {
        return origin.mode();
    }

    /** The version of the config in use (see the class comment), empty before any is loaded. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /**
     * Which document {@link #version()} names: {@code namespace:<name>}, {@code workspace:<id>} (the one workspace a
     * token reads, once loaded), or {@code file}; empty when not known yet.
     */
    public String scope() {
        String namespace = origin.namespace();
        if (namespace != null) return "namespace:" + namespace;
        if (!"API".equals(origin.mode())) return "file";
        var workspaces = current.workspaces();
        return workspaces.size() == 1
                ? "workspace:" + workspaces.keySet().iterator().next()
                : "";
    }

    /** SHA-256 of the document, first 16 bytes in hex: the config backend's ETag formula. */
    public static String versionOf(byte[] document) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(document), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Registers a listener called (on the poller thread) with every new config, and now with the current one. */
    public void onChange(Consumer<ConfigIndex> listener) {
        listeners.add(listener);
        if (loaded) listener.accept(current);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
