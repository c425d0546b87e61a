package dev.eventpipe.processor.config;

import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Processor settings ({@code processor.*}); application.yaml maps RudderStack's environment names onto them.
 *
 * @param batch how much one loop iteration fetches (RudderStack: 2000 events / 20 MB per partition)
 * @param idleSleep pause when there is nothing to do
 * @param dedup the messageId window
 * @param transformer the transformer service and how to call it; {@code webhook-in-process} (on by default) builds
 *     WEBHOOK deliveries in the processor instead of calling the transformer, for the events it knows it builds as
 *     the transformer would (see {@code WebhookEnvelope})
 * @param leases partition ownership among replicas
 * @param batchDestinationTypes destination types whose jobs go to {@code batch_rt} instead of {@code rt}
 * @param missingConfigGrace how long a source (or a job's pinned destination) must have been missing from this
 *     processor's config, counted from the first time a job found it missing, before its jobs are aborted; until
 *     then they are retried (the gateway may have a newer config, or one poll may have been partial)
 * @param cursorRescanInterval how often an idle loop re-reads from job id 0 instead of its cursor (a safety net)
 * @param stats how long stage counts are kept
 * @param pipeline how many batches may be between fetch and commit at once (see {@code ProcessingLoop})
 */
@ConfigurationProperties("processor")
public record ProcessorProperties(
        @DefaultValue Batch batch,
        @DefaultValue("200ms") Duration idleSleep,
        @DefaultValue Dedup dedup,
        @DefaultValue Transformer transformer,
        @DefaultValue Leases leases,
        @DefaultValue("POSTGRES") Set<String> batchDestinationTypes,
        @DefaultValue("10m") Duration missingConfigGrace,
        @DefaultValue("30s") Duration cursorRescanInterval,
        @DefaultValue Stats stats,
        @DefaultValue Pipeline pipeline) {

    public ProcessorProperties {
        if (batch.maxJobs() <= 0) throw new IllegalArgumentException("processor.batch.max-jobs must be positive");
        if (transformer.userBatchSize() <= 0
                || transformer.destinationBatchSize() <= 0
                || transformer.concurrency() <= 0)
            throw new IllegalArgumentException("processor.transformer batch sizes and concurrency must be positive");
        if (pipeline.maxBatchesInFlight() <= 0
                || pipeline.transformThreads() <= 0
                || pipeline.maxBytesInFlight().toBytes() <= 0)
            throw new IllegalArgumentException("processor.pipeline settings must be positive");
    }

    public record Batch(
            @DefaultValue("2000") int maxJobs,
            @DefaultValue("20MB") DataSize maxBytes) {}

    public record Dedup(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("24h") Duration window,
            @DefaultValue("1m") Duration cleanupInterval) {}

    public record Transformer(
            @DefaultValue("http://127.0.0.1:9090") String url,
            @DefaultValue("200") int userBatchSize,
            @DefaultValue("100") int destinationBatchSize,
            @DefaultValue("8") int concurrency,
            @DefaultValue("2s") Duration connectTimeout,
            @DefaultValue("600s") Duration requestTimeout,
            @DefaultValue("200ms") Duration minBackoff,
            @DefaultValue("10s") Duration maxBackoff,
            @DefaultValue("true") boolean webhookInProcess) {}

    /**
     * The pipelined loop: a fetch thread, {@code transformThreads} workers running dedup, fan-out and the
     * transformations, and one store thread committing in fetch order. At most {@code maxBatchesInFlight} batches
     * are fetched and not yet committed or dropped, holding at most {@code maxBytesInFlight} of gw payload (as
     * stored; one oversized job may exceed it, as a fetch always returns at least one job). {@code
     * max-batches-in-flight: 1} is the serial loop: nothing is fetched while a batch is on its way.
     */
    public record Pipeline(
            @DefaultValue("4") int maxBatchesInFlight,
            @DefaultValue("32MB") DataSize maxBytesInFlight,
            @DefaultValue("2") int transformThreads) {}

    public record Stats(@DefaultValue("30d") Duration retention) {}

    public record Leases(
            @DefaultValue("10s") Duration ttl,
            @DefaultValue("") String holder) {}
}
