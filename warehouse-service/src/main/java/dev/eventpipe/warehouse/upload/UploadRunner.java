package dev.eventpipe.warehouse.upload;

import dev.eventpipe.model.config.ConfigIndex;
import dev.eventpipe.model.config.Destination;
import dev.eventpipe.model.config.Source;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.warehouse.config.WarehouseProperties;
import dev.eventpipe.warehouse.lease.LeaderLease;
import dev.eventpipe.warehouse.load.UploadLoader;
import dev.eventpipe.warehouse.load.WarehouseSettings;
import dev.eventpipe.warehouse.storage.ObjectStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs due uploads on the active replica, at most {@code concurrency} at once and one per source and destination
 * (the database allows one unfinished upload per pair). An attempt: {@code exporting}, then {@link UploadLoader};
 * success → {@code exported}; any failure → {@code failed} with the error and the next attempt after backoff, or
 * {@code aborted} once the retries are spent. An upload left {@code exporting} by a replica that died is resumed:
 * its loaded tables are skipped, the rest loaded again safely.
 */
public final class UploadRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UploadRunner.class);
    private static final int MAX_ERROR = 4000;

    private final Uploads uploads;
    private final UploadLoader loader;
    private final ObjectStore staging;
    private final WorkspaceConfigClient config;
    private final LeaderLease lease;
    private final WarehouseProperties.Uploads settings;
    private final RetryPolicy retry;
    private final InstantSource clock;
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool;

    public UploadRunner(
            Uploads uploads,
            UploadLoader loader,
            ObjectStore staging,
            WorkspaceConfigClient config,
            LeaderLease lease,
            WarehouseProperties.Uploads settings,
            InstantSource clock) {
        this.uploads = uploads;
        this.loader = loader;
        this.staging = staging;
        this.config = config;
        this.lease = lease;
        this.settings = settings;
        this.retry = new RetryPolicy(settings);
        this.clock = clock;
        this.pool = Executors.newFixedThreadPool(Math.max(1, settings.concurrency()), r -> {
            Thread t = new Thread(r, "upload");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the due uploads there is room for; returns how many. */
    public int runOnce() {
        if (!lease.isLeader() || !config.hasLoaded()) return 0;
        int started = 0;
        for (Upload u : uploads.due(settings.concurrency() * 4)) {
            if (running.size() >= settings.concurrency()) break;
            if (!running.add(u.id())) continue;
            started++;
            pool.execute(() -> {
                try {
                    attempt(u);
                } catch (RuntimeException e) {
                    log.atError().setCause(e).addKeyValue("upload", u.id()).log("upload bookkeeping failed");
                } finally {
                    running.remove(u.id());
                }
            });
        }
        return started;
    }

    /** Uploads this replica is running now. */
    public Set<Long> running() {
        return Set.copyOf(running);
    }

    void attempt(Upload u) {
        ConfigIndex index = config.current();
        Destination destination = index.destinationById(u.destinationId()).orElse(null);
        Source source = index.sourceById(u.sourceId()).orElse(null);
        String namespace = u.namespace();
        if (destination != null && source != null)
            namespace = WarehouseSettings.namespace(destination.config(), source.name());
        Upload started = uploads.startAttempt(u.id(), namespace).orElse(null);
        if (started == null) return; // finished meanwhile
        try {
            if (destination == null) throw new IllegalStateException("destination is not in the workspace config");
            if (namespace.isEmpty()) throw new IllegalStateException("source is not in the workspace config");
            UploadLoader.Job job = new UploadLoader.Job(
                    u.id(),
                    WarehouseSettings.of(destination.config()),
                    namespace,
                    staging,
                    uploads.stagingFiles(u.id()),
                    flag(destination.config(), "preferAppend"),
                    started.attempts() > 1,
                    started.loadTs() == null ? clock.instant() : started.loadTs(),
                    uploads.exportedTables(u.id()));
            loader.load(job, new UploadLoader.Progress() {
                @Override
                public void started(String table, long rows) {
                    uploads.tableStarted(u.id(), table, rows);
                }

                @Override
                public void loaded(String table, long rows, long discards) {
                    uploads.tableLoaded(u.id(), table, rows, discards);
                }
            });
            uploads.exported(u.id());
            log.atInfo()
                    .addKeyValue("upload", u.id())
                    .addKeyValue("namespace", namespace)
                    .log("upload exported");
        } catch (Exception e) {
            fail(started, e);
        }
    }

    private void fail(Upload u, Exception e) {
        Instant now = clock.instant();
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (error.length() > MAX_ERROR) error = error.substring(0, MAX_ERROR);
        Instant first = u.firstAttemptAt() == null ? now : u.firstAttemptAt();
        boolean aborted = retry.exhausted(u.attempts(), first, now);
        uploads.failed(u.id(), error, now.plus(retry.backoff(u.attempts())), aborted);
        log.atWarn()
                .addKeyValue("upload", u.id())
                .addKeyValue("attempts", u.attempts())
                .addKeyValue("aborted", aborted)
                .addKeyValue("error", error)
                .log("upload attempt failed");
    }

    private static boolean flag(Map<String, Object> config, String key) {
        Object v = config.get(key);
        return v instanceof Boolean b ? b : v instanceof String s && Boolean.parseBoolean(s);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
