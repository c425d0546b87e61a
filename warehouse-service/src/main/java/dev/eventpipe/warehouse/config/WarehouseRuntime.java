package dev.eventpipe.warehouse.config;

import dev.eventpipe.warehouse.archive.ArchiveLoop;
import dev.eventpipe.warehouse.archive.ArchiveReplayer;
import dev.eventpipe.warehouse.archive.ArchiveRetention;
import dev.eventpipe.warehouse.lease.LeaderLease;
import dev.eventpipe.warehouse.staging.StagingLoop;
import dev.eventpipe.warehouse.upload.UploadRunner;
import dev.eventpipe.warehouse.upload.UploadScheduler;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts the background work once the application is up: the lease, then the staging loop, the upload scheduler
 * and runner, archive replays and (when enabled) the archiver and its retention, each at its own pace, each doing
 * nothing on a standby replica. A pass
 * that fails is logged and tried again at the next tick; nothing it had not committed is lost.
 */
@Component
class WarehouseRuntime implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(WarehouseRuntime.class);

    private final LeaderLease lease;
    private final StagingLoop staging;
    private final UploadScheduler scheduler;
    private final UploadRunner runner;
    private final ArchiveLoop archive;
    private final ArchiveRetention retention;
    private final ArchiveReplayer replayer;
    private final WarehouseProperties properties;
    private ScheduledExecutorService loops;
    private volatile boolean running;

    WarehouseRuntime(
            LeaderLease lease,
            StagingLoop staging,
            UploadScheduler scheduler,
            UploadRunner runner,
            ArchiveLoop archive,
            ArchiveRetention retention,
            ArchiveReplayer replayer,
            WarehouseProperties properties) {
        this.lease = lease;
        this.staging = staging;
        this.scheduler = scheduler;
        this.runner = runner;
        this.archive = archive;
        this.retention = retention;
        this.replayer = replayer;
        this.properties = properties;
    }

    @Override
    public void start() {
        lease.start();
        loops = Executors.newScheduledThreadPool(4, r -> {
            Thread t = new Thread(r, "warehouse-loop");
            t.setDaemon(true);
            return t;
        });
        every("staging", properties.staging().pollInterval(), () -> {
            // keep going while there is a backlog
            while (staging.runOnce() > 0 && running) {}
        });
        every("uploads", properties.uploads().pollInterval(), () -> {
            scheduler.runOnce();
            runner.runOnce();
        });
        every("replays", properties.uploads().pollInterval(), replayer::runOnce);
        if (properties.archive().enabled()) {
            every("archive", properties.archive().pollInterval(), () -> archive.runOnce(false));
            every("archive-retention", Duration.ofMinutes(10), retention::runOnce);
        }
        running = true;
    }

    private void every(String name, Duration interval, ThrowingRunnable pass) {
        loops.scheduleWithFixedDelay(
                () -> {
                    try {
                        pass.run();
                    } catch (Exception e) {
                        log.atWarn().setCause(e).addKeyValue("loop", name).log("pass failed; will retry");
                    }
                },
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Override
    public void stop() {
        running = false;
        if (loops != null) loops.shutdownNow();
        runner.close();
        lease.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
