package dev.eventpipe.warehouse.archive;

import dev.eventpipe.warehouse.lease.LeaderLease;
import dev.eventpipe.warehouse.storage.ObjectStore;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Deletes archive files whose hour is older than the retention period (0 keeps them forever): the file from
 * storage first, then its index row, so a failure leaves at worst a row whose file is gone (deleted again next
 * time), never a file nobody knows about.
 */
public final class ArchiveRetention {
    private final ArchiveFiles files;
    private final ObjectStore store;
    private final LeaderLease lease;
    private final Duration retention;
    private final InstantSource clock;

    public ArchiveRetention(
            ArchiveFiles files, ObjectStore store, LeaderLease lease, Duration retention, InstantSource clock) {
        this.files = files;
        this.store = store;
        this.lease = lease;
        this.retention = retention;
        this.clock = clock;
    }

    /** Returns the number of files deleted. */
    public int runOnce() throws IOException {
        if (!lease.isLeader() || retention.isZero() || retention.isNegative()) return 0;
        int deleted = 0;
        for (String location : files.olderThan(clock.instant().minus(retention), 1000)) {
            store.delete(location);
            files.forget(location);
            deleted++;
        }
        return deleted;
    }
}
