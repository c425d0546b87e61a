package dev.eventpipe.jobsdb;

import java.nio.charset.StandardCharsets;

/**
 * The fixed split of user ids into {@link #COUNT} partitions. Stored with every job, so processors and routers
 * that own a partition (through a lease) read only its jobs, and one user's jobs always share a partition. The
 * count and the hash (FNV-1a, 32 bit) are part of the stored data: changing them needs a migration.
 */
public final class UserPartition {
    public static final int COUNT = 64;

    private UserPartition() {}

    public static int of(String userId) {
        int hash = 0x811c9dc5;
        for (byte b : userId.getBytes(StandardCharsets.UTF_8)) {
            hash ^= (b & 0xff);
            hash *= 0x01000193;
        }
        return Integer.remainderUnsigned(hash, COUNT);
    }
}
