package dev.eventpipe.jobsdb;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The storage budget of the job tables ({@code jobsdb.storage.*}, see {@link StorageBudget}).
 *
 * @param maxBytes the budget in bytes; 0 derives it from the free disk at start
 * @param freeDiskShare the share of the database disk's free space at start that the job tables may grow into
 * @param diskPath a directory on the database's disk, when this process cannot find it itself
 * @param highWater share of the budget at which writers stop accepting
 * @param lowWater share of the budget at which they accept again
 * @param checkInterval how often usage is measured
 */
@ConfigurationProperties("jobsdb.storage")
public record StorageSettings(
        @DefaultValue("0") long maxBytes,
        @DefaultValue("0.5") double freeDiskShare,
        @DefaultValue("") String diskPath,
        @DefaultValue("0.9") double highWater,
        @DefaultValue("0.8") double lowWater,
        @DefaultValue("5s") Duration checkInterval) {

    public StorageSettings {
        if (lowWater > highWater) throw new IllegalArgumentException("jobsdb.storage.low-water above high-water");
        if (freeDiskShare <= 0 || freeDiskShare > 1)
            throw new IllegalArgumentException("jobsdb.storage.free-disk-share must be in (0, 1]");
    }
}
