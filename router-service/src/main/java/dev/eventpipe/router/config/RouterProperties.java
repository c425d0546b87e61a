package dev.eventpipe.router.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The router's settings ({@code router.*}). Defaults follow RudderStack's {@code Router.*} keys; every setting of
 * {@link DestinationSettings} can be overridden per destination type under {@code router.overrides.<TYPE>.*}.
 *
 * @param pollInterval sleep between pickups that found nothing (RudderStack {@code Router.readSleep})
 * @param jobQueryBatchSize jobs per query of one pickup
 * @param payloadLimit payload bytes one pickup reads per destination, across its queries (RudderStack
 *     {@code Router.payloadLimit}); counted in SQL, at least one job per query
 * @param maxQueriesPerPickup queries per pickup, so jobs held behind a barrier do not hide newer ones
 * @param maxWindowsPerRead windows (each of at most {@code 4 × job-query-batch-size} rows and ids, at least 1,000, at
 *     most 20,000; the last one allowed always that large) one read
 *     of unprocessed jobs walks at most (jobsdb {@code JobQuery.walkingAtMost}); a read that stops there moves its
 *     destination's floor to where it got, and the next pickup goes on from there
 * @param statusBatchSize statuses written per commit (RudderStack {@code Router.updateStatusBatchSize})
 * @param maxStatusUpdateWait longest a finished job waits for its status commit
 * @param leaseTtl lifetime of a partition lease; a dead replica's partitions move after it
 * @param instanceId this replica's lease holder name; empty means "router-" plus a random suffix
 * @param enabled false runs only the HTTP API (failed events, stats) without delivering
 * @param transformer the transformer that combines the jobs of batching destinations
 * @param missingDestinationGrace how long a destination must have been missing from the workspace config, counted
 *     from the first pickup that found it missing (not from the job's age), before its jobs are drained; a config
 *     that lacks it for a few polls drains nothing (review P2-12)
 * @param missingDestinationReadInterval how often a pickup reads the jobs of destinations missing from the config
 *     (which walks every job id stored since its last read, and in steady state finds none): at most once per this
 *     interval, and at once on the first pickup, after a gain of partitions, when the config stops listing a
 *     destination or a grace ends, and while its last read stopped before the end of the queue (issue 16)
 * @param retention how long the router's own tables keep their rows (review P2-10)
 */
@ConfigurationProperties("router")
@Validated
public record RouterProperties(
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("1000") @Positive int jobQueryBatchSize,
        @DefaultValue("100MB") DataSize payloadLimit,
        @DefaultValue("10") @Positive int maxQueriesPerPickup,
        @DefaultValue("25") @Positive int maxWindowsPerRead,
        @DefaultValue("1000") @Positive int statusBatchSize,
        @DefaultValue("200ms") Duration maxStatusUpdateWait,
        @DefaultValue("30s") Duration leaseTtl,
        @DefaultValue("") String instanceId,
        @DefaultValue @Valid DestinationSettings defaults,
        @DefaultValue Map<String, Override> overrides,
        @DefaultValue("true") boolean enabled,
        @DefaultValue @Valid Transformer transformer,
        @DefaultValue("10m") Duration missingDestinationGrace,
        @DefaultValue("5s") Duration missingDestinationReadInterval,
        @DefaultValue @Valid Retention retention) {

    /**
     * @param stats delivery, latency and error counts are kept this long
     * @param replays replay records are kept this long
     * @param interval how often the old rows are deleted
     */
    public record Retention(
            @DefaultValue("30d") Duration stats,
            @DefaultValue("30d") Duration replays,
            @DefaultValue("1h") Duration interval) {}

    /**
     * The transformer service the router calls for destinations that batch ({@code DEST_TRANSFORM_URL}).
     *
     * @param url base URL; {@code POST /batch} combines jobs, {@code GET /features} says which types can batch
     * @param timeout per call
     * @param featuresRefresh how often the list of batching types is read again
     */
    public record Transformer(
            @DefaultValue("http://127.0.0.1:9090") String url,
            @DefaultValue("30s") Duration timeout,
            @DefaultValue("1m") Duration featuresRefresh) {}

    /** The settings for one destination type: the defaults with that type's overrides applied. */
    public DestinationSettings forType(String destinationType) {
        Override o = overrides.get(destinationType);
        if (o == null) o = overrides.get(destinationType.toUpperCase(Locale.ROOT));
        if (o == null) o = overrides.get(destinationType.toLowerCase(Locale.ROOT));
        return o == null ? defaults : o.applyTo(defaults);
    }

    /** Per-type overrides; an unset field keeps the default. */
    public record Override(
            @Nullable Integer workers,
            @Nullable Integer queueCapacity,
            @Nullable Duration httpTimeout,
            @Nullable Duration minBackoff,
            @Nullable Duration maxBackoff,
            @Nullable Duration retryWindow,
            @Nullable Integer minAttempts,
            @Nullable Duration jobRetention,
            @Nullable Integer rateLimit,
            @Nullable Duration rateWindow,
            @Nullable Integer batchMaxJobs,
            @Nullable Duration batchTimeout,
            @Nullable Duration batchIdle) {

        DestinationSettings applyTo(DestinationSettings d) {
            return new DestinationSettings(
                    workers != null ? workers : d.workers(),
                    queueCapacity != null ? queueCapacity : d.queueCapacity(),
                    httpTimeout != null ? httpTimeout : d.httpTimeout(),
                    minBackoff != null ? minBackoff : d.minBackoff(),
                    maxBackoff != null ? maxBackoff : d.maxBackoff(),
                    retryWindow != null ? retryWindow : d.retryWindow(),
                    minAttempts != null ? minAttempts : d.minAttempts(),
                    jobRetention != null ? jobRetention : d.jobRetention(),
                    rateLimit != null ? rateLimit : d.rateLimit(),
                    rateWindow != null ? rateWindow : d.rateWindow(),
                    batchMaxJobs != null ? batchMaxJobs : d.batchMaxJobs(),
                    batchTimeout != null ? batchTimeout : d.batchTimeout(),
                    batchIdle != null ? batchIdle : d.batchIdle());
        }
    }
}
