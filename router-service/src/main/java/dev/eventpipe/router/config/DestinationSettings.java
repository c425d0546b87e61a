package dev.eventpipe.router.config;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the router treats the destinations of one type (RudderStack's {@code Router.<key>} /
 * {@code Router.<TYPE>.<key>}).
 *
 * @param workers workers per destination, which is also its concurrency limit ({@code noOfWorkers})
 * @param queueCapacity jobs queued per worker before pickup skips that worker's users
 * @param httpTimeout per-request timeout ({@code httpTimeout})
 * @param minBackoff first retry delay ({@code minRetryBackoff}); it doubles per attempt
 * @param maxBackoff longest retry delay ({@code maxRetryBackoff})
 * @param retryWindow a 5xx job is aborted only once this long has passed since its first attempt...
 * @param minAttempts ...and it has been tried at least this often ({@code maxFailedCountForJob})
 * @param jobRetention older jobs are drained ({@code jobRetention})
 * @param rateLimit jobs picked per {@code rateWindow}; 0 means no limit ({@code throttler.<TYPE>.limit})
 * @param rateWindow the rate limit's window ({@code throttler.<TYPE>.timeWindow})
 * @param batchMaxJobs jobs a worker gathers into one {@code /batch} call of the transformer, for destinations
 *     that batch ({@code noOfJobsToBatchInAWorker})
 * @param batchTimeout the longest a worker waits for more jobs before it sends a smaller batch
 *     ({@code jobsBatchTimeout})
 * @param batchIdle a worker also sends once no more jobs have come for this long
 */
public record DestinationSettings(
        @DefaultValue("8") @Positive int workers,
        @DefaultValue("1000") @Positive int queueCapacity,
        @DefaultValue("10s") Duration httpTimeout,
        @DefaultValue("10s") Duration minBackoff,
        @DefaultValue("300s") Duration maxBackoff,
        @DefaultValue("180m") Duration retryWindow,
        @DefaultValue("3") int minAttempts,
        @DefaultValue("720h") Duration jobRetention,
        @DefaultValue("0") int rateLimit,
        @DefaultValue("1s") Duration rateWindow,
        @DefaultValue("100") @Positive int batchMaxJobs,
        @DefaultValue("1s") Duration batchTimeout,
        @DefaultValue("100ms") Duration batchIdle) {}
