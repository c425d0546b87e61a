package dev.eventpipe.warehouse.config;

import dev.eventpipe.warehouse.storage.StorageSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the warehouse service ({@code warehouse.*}); application.yaml lists them with their defaults.
 *
 * @param instanceId the lease holder name (default: host name and a random suffix)
 * @param leaseTtl a dead active replica is replaced after this
 * @param workDir local scratch space of uploads (per-table files)
 */
@ConfigurationProperties("warehouse")
public record WarehouseProperties(
        @DefaultValue("") String instanceId,
        @DefaultValue("30s") Duration leaseTtl,
        @DefaultValue("./.data/warehouse-work") String workDir,
        @DefaultValue Staging staging,
        @DefaultValue Uploads uploads,
        @DefaultValue Archive archive) {

    /**
     * @param destinationGrace a job of a destination missing from the config waits this long (the config may be
     *     newer elsewhere), then is aborted
     */
    public record Staging(
            @DefaultValue("1s") Duration pollInterval,
            @DefaultValue("10000") int maxJobs,
            @DefaultValue("64MB") DataSize maxBytes,
            @DefaultValue("60s") Duration destinationGrace,
            @DefaultValue StorageSettings storage) {}

    /**
     * RudderStack's warehouse defaults: sync every 30 minutes unless the destination says otherwise; a failed
     * upload is retried after 1 minute doubling to 30, and aborted once it failed 3 times and 3 hours passed
     * since its first attempt.
     */
    public record Uploads(
            @DefaultValue("5s") Duration pollInterval,
            @DefaultValue("2") int concurrency,
            @DefaultValue("30m") Duration defaultSyncFrequency,
            @DefaultValue("60s") Duration minBackoff,
            @DefaultValue("30m") Duration maxBackoff,
            @DefaultValue("3") int minAttempts,
            @DefaultValue("3h") Duration retryWindow,
            @DefaultValue("10s") Duration connectTimeout,
            @DefaultValue("30m") Duration socketTimeout,
            @DefaultValue("1600") int columnLimit) {}

    /**
     * @param grace an hour's file is written once the hour ended this long ago, so late events of the hour join it
     * @param maxFileBytes a file is cut at this size (uncompressed), so a busy hour may have several
     * @param maxOpenFiles source-hours written at once in a pass; more wait for the next pass
     * @param retention archive files older than this are deleted (0: kept forever)
     */
    public record Archive(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("30s") Duration pollInterval,
            @DefaultValue("5m") Duration grace,
            @DefaultValue("64MB") DataSize maxFileBytes,
            @DefaultValue("5000") int maxJobs,
            @DefaultValue("64") int maxOpenFiles,
            @DefaultValue("90d") Duration retention,
            @DefaultValue StorageSettings storage) {}
}
