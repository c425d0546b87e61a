package dev.eventpipe.jobsdb;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Queue settings, under {@code jobsdb.*}. Defaults follow RudderStack: 100,000 jobs, 300 MB or 90 minutes per
 * dataset.
 *
 * @param maxDatasetJobs job ids per dataset (its row bound)
 * @param maxDatasetBytes a dataset larger than this (jobs plus statuses) is closed
 * @param maxDatasetAge a dataset whose first job is older than this is closed
 * @param maintenanceInterval how often datasets are rotated and dropped
 * @param maintenance whether this service runs rotation and drops (any number of services may)
 */
@ConfigurationProperties("jobsdb")
public record JobsDbSettings(
        @DefaultValue("100000") long maxDatasetJobs,
        @DefaultValue("314572800") long maxDatasetBytes,
        @DefaultValue("90m") Duration maxDatasetAge,
        @DefaultValue("5s") Duration maintenanceInterval,
        @DefaultValue("true") boolean maintenance) {

    public static JobsDbSettings defaults() {
        return new JobsDbSettings(100_000, 314_572_800L, Duration.ofMinutes(90), Duration.ofSeconds(5), true);
    }
}
