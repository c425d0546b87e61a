package dev.eventpipe.jobsdb;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Queue settings, under {@code jobsdb.*}. Defaults follow RudderStack: 100,000 jobs, 300 MB or 90 minutes per
 * dataset; compaction when fewer than 60% of a dataset's jobs are live or its status rows outnumber its jobs three
 * to one, once the dataset is two minutes old.
 *
 * @param maxDatasetJobs job ids per dataset (its row bound)
 * @param maxDatasetBytes a dataset larger than this (jobs plus statuses) is closed
 * @param maxDatasetAge a dataset whose first job is older than this is closed
 * @param maintenanceInterval how often datasets are rotated, compacted and dropped
 * @param maintenance whether this service runs rotation, compaction and drops (any number of services may: one
 *     at a time does the work, the others skip the pass)
 * @param ddlLockTimeout how long a drop, a compaction's swap or the creation of a dataset waits for the queue's
 *     tables before giving up until the next pass; while it waits, writers of the queue wait behind it
 * @param compactionMinAge a closed dataset younger than this is not compacted (its jobs are probably still moving)
 * @param compactionLiveShare a closed dataset whose live (non-terminal) jobs are fewer than this share of its jobs
 *     is compacted
 * @param compactionStatusRatio a closed dataset with more status rows than this many per job is compacted (a
 *     job retried for days leaves only its latest status)
 * @param compactionMinReclaimRows a compaction must remove at least this many rows (jobs plus statuses)
 * @param compactionCheckInterval how often one dataset's live jobs are counted to decide on compaction
 * @param failedRetention how long an aborted rt job is kept (with its statuses, in {@code rt_failed_events}) after
 *     it was aborted, once its dataset is gone: the router's failed-events API lists and replays it meanwhile
 */
@ConfigurationProperties("jobsdb")
public record JobsDbSettings(
        @DefaultValue("100000") long maxDatasetJobs,
        @DefaultValue("314572800") long maxDatasetBytes,
        @DefaultValue("90m") Duration maxDatasetAge,
        @DefaultValue("5s") Duration maintenanceInterval,
        @DefaultValue("true") boolean maintenance,
        @DefaultValue("500ms") Duration ddlLockTimeout,
        @DefaultValue("2m") Duration compactionMinAge,
        @DefaultValue("0.6") double compactionLiveShare,
        @DefaultValue("3") double compactionStatusRatio,
        @DefaultValue("1000") long compactionMinReclaimRows,
        @DefaultValue("60s") Duration compactionCheckInterval,
        @DefaultValue("30d") Duration failedRetention) {

    @ConstructorBinding
    public JobsDbSettings {}

    public static JobsDbSettings defaults() {
        return new JobsDbSettings(100_000, 314_572_800L, Duration.ofMinutes(90), Duration.ofSeconds(5), true);
    }

    /** The given dataset bounds and maintenance, with every other setting at its default. */
    public JobsDbSettings(
            long maxDatasetJobs,
            long maxDatasetBytes,
            Duration maxDatasetAge,
            Duration maintenanceInterval,
            boolean maintenance) {
        this(
                maxDatasetJobs,
                maxDatasetBytes,
                maxDatasetAge,
                maintenanceInterval,
                maintenance,
                Duration.ofMillis(500),
                Duration.ofMinutes(2),
                0.6,
                3,
                1000,
                Duration.ofSeconds(60),
                Duration.ofDays(30));
    }

    public JobsDbSettings withCompaction(Duration minAge, long minReclaimRows, Duration checkInterval) {
        return new JobsDbSettings(
                maxDatasetJobs,
                maxDatasetBytes,
                maxDatasetAge,
                maintenanceInterval,
                maintenance,
                ddlLockTimeout,
                minAge,
                compactionLiveShare,
                compactionStatusRatio,
                minReclaimRows,
                checkInterval,
                failedRetention);
    }

    public JobsDbSettings withDdlLockTimeout(Duration timeout) {
        return new JobsDbSettings(
                maxDatasetJobs,
                maxDatasetBytes,
                maxDatasetAge,
                maintenanceInterval,
                maintenance,
                timeout,
                compactionMinAge,
                compactionLiveShare,
                compactionStatusRatio,
                compactionMinReclaimRows,
                compactionCheckInterval,
                failedRetention);
    }

    public JobsDbSettings withFailedRetention(Duration retention) {
        return new JobsDbSettings(
                maxDatasetJobs,
                maxDatasetBytes,
                maxDatasetAge,
                maintenanceInterval,
                maintenance,
                ddlLockTimeout,
                compactionMinAge,
                compactionLiveShare,
                compactionStatusRatio,
                compactionMinReclaimRows,
                compactionCheckInterval,
                retention);
    }
}
