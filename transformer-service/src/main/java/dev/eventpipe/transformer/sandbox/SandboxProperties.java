package dev.eventpipe.transformer.sandbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the JavaScript sandbox.
 *
 * @param timeout CPU time one call into a script may use (one event, or one batch for transformBatch); a call that
 *     gets no CPU at all for this long is stopped too (it is blocked, not starved)
 * @param statementLimit statements one call may execute before its context is cancelled
 * @param poolSize script threads; 0 means one per available processor
 * @param queueCapacity script tasks that may wait for a thread before requests are refused with 503
 * @param watchdogInterval how often running calls are checked against the limits
 * @param heapGuardFraction heap use (of -Xmx) above which long-running calls are stopped
 * @param heapGuardMinRuntime calls running shorter than this are never stopped by the heap guard
 * @param threadStack stack size of the script threads (deep recursion ends in a RangeError either way)
 * @param codeCacheSize transformation versions whose code is kept in memory (least recently used dropped first)
 * @param maxOutputChars largest JSON a single call may return
 * @param idleContexts contexts kept for reuse across all transformation versions and the destination modules
 * @param requestDeadline wall-clock limit of one whole request; past it the request is answered "retry later"
 * @param testPoolSize script threads of the web app's code tests (their own pool, apart from production)
 * @param testDeadline wall-clock limit of one code test run
 * @param heapGuardBlameFraction a call stopped by the heap guard counts against its transformation version only if
 *     stopping it (closing its context and collecting) brought the heap below {@code heapGuardFraction} and freed
 *     at least this fraction of the maximum heap: what it held, not what it allocated, so a call that was merely
 *     running, or allocating and dropping garbage, while someone else's code filled the heap is not blamed. A call
 *     the engine itself fails for lack of memory counts if it allocated this fraction while it ran
 * @param memoryStrikes requests in a row in which a version's calls were stopped for filling the heap, after which
 *     that version runs in a transformer process of its own (see {@code transformer.isolation}), where a call that
 *     fills the heap fails its events (400) instead of making the whole request retryable
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
        @DefaultValue("1000") int codeCacheSize,
        @DefaultValue("33554432") int maxOutputChars,
        @DefaultValue("64") int idleContexts,
        @DefaultValue("300s") Duration requestDeadline,
        @DefaultValue("1") int testPoolSize,
        @DefaultValue("10s") Duration testDeadline,
        @DefaultValue("0.1") double heapGuardBlameFraction,
        @DefaultValue("1") int memoryStrikes) {

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
                1000,
                33_554_432,
                64,
                Duration.ofSeconds(300),
                1,
                Duration.ofSeconds(10),
                0.1,
                1);
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
                maxOutputChars,
                idleContexts,
                requestDeadline,
                testPoolSize,
                testDeadline,
                heapGuardBlameFraction,
                memoryStrikes);
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
                maxOutputChars,
                idleContexts,
                requestDeadline,
                testPoolSize,
                testDeadline,
                heapGuardBlameFraction,
                memoryStrikes);
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
                maxOutputChars,
                idleContexts,
                requestDeadline,
                testPoolSize,
                testDeadline,
                heapGuardBlameFraction,
                memoryStrikes);
    }

    public SandboxProperties withIdleContexts(int idle) {
        return new SandboxProperties(
                timeout,
                statementLimit,
                poolSize,
                queueCapacity,
                watchdogInterval,
                heapGuardFraction,
                heapGuardMinRuntime,
                threadStack,
                codeCacheSize,
                maxOutputChars,
                idle,
                requestDeadline,
                testPoolSize,
                testDeadline,
                heapGuardBlameFraction,
                memoryStrikes);
    }

    public SandboxProperties withDeadlines(Duration request, Duration test) {
        return new SandboxProperties(
                timeout,
                statementLimit,
                poolSize,
                queueCapacity,
                watchdogInterval,
                heapGuardFraction,
                heapGuardMinRuntime,
                threadStack,
                codeCacheSize,
                maxOutputChars,
                idleContexts,
                request,
                testPoolSize,
                test,
                heapGuardBlameFraction,
                memoryStrikes);
    }

    public SandboxProperties withHeapGuard(Duration minRuntime, double blameFraction, int strikes) {
        return new SandboxProperties(
                timeout,
                statementLimit,
                poolSize,
                queueCapacity,
                watchdogInterval,
                heapGuardFraction,
                minRuntime,
                threadStack,
                codeCacheSize,
                maxOutputChars,
                idleContexts,
                requestDeadline,
                testPoolSize,
                testDeadline,
                blameFraction,
                strikes);
    }

    public int effectivePoolSize() {
        return poolSize > 0 ? poolSize : Runtime.getRuntime().availableProcessors();
    }
}
