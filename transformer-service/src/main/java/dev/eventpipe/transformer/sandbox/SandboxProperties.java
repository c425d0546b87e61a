package dev.eventpipe.transformer.sandbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the JavaScript sandbox.
 *
 * @param timeout wall-clock limit of one call into a script (one event, or one batch for transformBatch)
 * @param statementLimit statements one call may execute before its context is cancelled
 * @param poolSize pooled contexts and script threads; 0 means one per available processor
 * @param queueCapacity script tasks that may wait for a thread before requests are refused with 503
 * @param watchdogInterval how often running calls are checked against the limits
 * @param heapGuardFraction heap use (of -Xmx) above which long-running calls are stopped
 * @param heapGuardMinRuntime calls running shorter than this are never stopped by the heap guard
 * @param threadStack stack size of the script threads (deep recursion ends in a RangeError either way)
 * @param codeCacheSize prepared transformations kept per context
 * @param maxOutputChars largest JSON a single call may return
 */
@ConfigurationProperties("transformer.sandbox")
public record SandboxProperties(
        @DefaultValue("4s") Duration timeout,
        @DefaultValue("100000000") long statementLimit,
        @DefaultValue("0") int poolSize,
        @DefaultValue("10000") int queueCapacity,
        @DefaultValue("20ms") Duration watchdogInterval,
        @DefaultValue("0.85") double heapGuardFraction,
        @DefaultValue("250ms") Duration heapGuardMinRuntime,
        @DefaultValue("4MB") DataSize threadStack,
        @DefaultValue("256") int codeCacheSize,
        @DefaultValue("33554432") int maxOutputChars) {

    /** The defaults, for use without Spring (benchmark, unit tests). */
    public static SandboxProperties defaults() {
        return new SandboxProperties(
                Duration.ofSeconds(4),
                100_000_000,
                0,
                10_000,
                Duration.ofMillis(20),
                0.85,
                Duration.ofMillis(250),
                DataSize.ofMegabytes(4),
                256,
                33_554_432);
    }

    public SandboxProperties withTimeout(Duration newTimeout) {
        return new SandboxProperties(
                newTimeout,
                statementLimit,
                poolSize,
                queueCapacity,
                watchdogInterval,
                heapGuardFraction,
                heapGuardMinRuntime,
                threadStack,
                codeCacheSize,
                maxOutputChars);
    }

    public SandboxProperties withPoolSize(int size) {
        return new SandboxProperties(
                timeout,
                statementLimit,
                size,
                queueCapacity,
                watchdogInterval,
                heapGuardFraction,
                heapGuardMinRuntime,
                threadStack,
                codeCacheSize,
                maxOutputChars);
    }

    public SandboxProperties withStatementLimit(long limit) {
        return new SandboxProperties(
                timeout,
                limit,
                poolSize,
                queueCapacity,
                watchdogInterval,
                heapGuardFraction,
                heapGuardMinRuntime,
                threadStack,
                codeCacheSize,
                maxOutputChars);
    }

    public int effectivePoolSize() {
        return poolSize > 0 ? poolSize : Runtime.getRuntime().availableProcessors();
    }
}
