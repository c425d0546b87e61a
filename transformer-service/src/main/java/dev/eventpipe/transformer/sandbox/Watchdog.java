package dev.eventpipe.transformer.sandbox;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform thread that checks the running calls every {@code watchdogInterval} (see {@link JsContext#watch}):
 * a call past its CPU limit, or past its request's deadline, is interrupted ({@code Context.interrupt}, the context
 * stays usable). GraalJS CE cannot cap a context's heap, so the heap is guarded here too; a scan costs nothing per
 * call, where a per-call timer would cost a scheduler entry per event.
 *
 * <p>The heap guard. When the heap reads above {@code heapGuardFraction} of its maximum, a <em>check</em> runs: the
 * garbage is collected ({@code System.gc()}: the "used" figure includes garbage until the collector runs) and the
 * heap read again; if the live heap is above the mark, the pools close their idle contexts (whatever scripts keep in
 * them becomes garbage; collected again if any was closed). Only if the live heap is still above the mark are calls
 * stopped, and then one at a time: the calls that have run
 * longer than {@code heapGuardMinRuntime}, the largest allocator first; each stopped call's context is closed (what
 * the call held, in its frames or its globals, is garbage now), the garbage collected, and the heap read. The call
 * is blamed for filling the heap ({@link ScriptFailure#filledTheHeap()}) only if that stop brought the heap below
 * the mark and freed at least {@code heapGuardBlameFraction} of it: blame goes by what a call <em>held</em>, not by
 * what it allocated, so a long call that allocates and throws away a lot while someone else's code fills the heap
 * is stopped (its request answered 503, retryable) but never blamed. Stops end as soon as the heap is below the
 * mark.
 *
 * <p>A call that may hold what fills the heap is dealt with at once: whenever the heap reads above the mark while
 * a call has run longer than {@code heapGuardMinRuntime}, the check runs on that very pass (every
 * {@code watchdogInterval}, 20 ms), however recently the last one ran. A hoard fills the last 15 % of a 1 GB heap in
 * under 200 ms (SandboxIT's paced hoard: 800 MB/s); a guard that waited for its next rationed check let the JVM
 * itself run out of heap. Such a check collects first and closes no idle context unless the live heap is above the
 * mark, so garbage alone costs one collection per crossing of the mark and nothing else.
 *
 * <p>Only forced collections with nothing to stop are rationed: while no call has run long enough to be stopped, a
 * check runs at most once a second, and while such checks leave the live heap above the mark (the live set is high
 * for another reason: kept contexts, a heap too small for the load), the time to the next one doubles, up to 30 s.
 * Besides the check's own collection, each call stopped for memory costs one collection, which is how its verdict
 * is found; a call is stopped only after a collection found the live heap above the mark.
 *
 * <p>The thread ends only on {@link #close}: a pass that throws, an {@link OutOfMemoryError} in the heap guard
 * included (it works exactly when the heap is full), is counted, logged and skipped (review 1015 P3-2: such an
 * Error used to end the thread, and no call was stopped again). {@code /health} answers 503 if it is dead anyway.
 */
final class Watchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
    private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(2);
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    static final long CHECK_EVERY = Duration.ofSeconds(1).toNanos();
    static final long LONGEST_BACK_OFF = Duration.ofSeconds(30).toNanos();
    private static final String OUT_OF_MEMORY =
            "watchdog pass ran out of memory and was skipped; the watchdog goes on with the next pass";

    private final JsEngine engine;
    private final Thread thread;
    private final DoubleSupplier heapUsedFraction;
    private final @Nullable Runnable collector;
    private final AtomicLong failedPasses = new AtomicLong();
    private volatile boolean running = true;
    // the loop's state, touched by the watchdog thread only
    private long lastCheck = System.nanoTime() - CHECK_EVERY;
    private long checkEvery = CHECK_EVERY;

    /**
     * @param collector collects the garbage before a reading counts ({@code System::gc} for the real heap); null for
     *     a test's probe that has no garbage
     */
    Watchdog(JsEngine engine, DoubleSupplier heapUsedFraction, @Nullable Runnable collector) {
        this.engine = engine;
        this.heapUsedFraction = heapUsedFraction;
        this.collector = collector;
        this.thread = Thread.ofPlatform().name("js-watchdog").daemon().start(this::loop);
    }

    private void loop() {
        SandboxProperties p = engine.properties();
        Duration interval = p.watchdogInterval(); // read once: a pass after an OutOfMemoryError should not allocate
        while (running) {
            try {
                pass(p);
            } catch (Throwable e) {
                // review 1015 P3-2: an Error (above all an OutOfMemoryError while the heap guard works, which is
                // when the heap is full) used to end the thread, and no call was ever stopped again
                passFailed(e);
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return; // close() (or an interrupt restored in a pass): the only way out
            } catch (Throwable e) {
                passFailed(e);
            }
        }
    }

    /** One pass: every running call checked against its limits, and the heap against the mark. */
    private void pass(SandboxProperties p) {
        long timeoutNanos = p.timeout().toNanos();
        long minNanos = p.heapGuardMinRuntime().toNanos();
        long now = System.nanoTime();
        for (JsContext js : engine.live()) {
            js.watch(now, timeoutNanos, INTERRUPT_WAIT);
        }
        if (heapUsedFraction.getAsDouble() <= p.heapGuardFraction()) {
            checkEvery = CHECK_EVERY;
        } else if (somethingToStop(now, minNanos)) {
            // a call that may hold what fills the heap is running: no waiting, the heap may be gone in 200 ms
            lastCheck = now;
            check(p);
            checkEvery = CHECK_EVERY;
        } else if (now - lastCheck >= checkEvery) {
            lastCheck = now;
            Check result = check(p);
            checkEvery = result == Check.NOTHING_TO_STOP ? Math.min(checkEvery * 2, LONGEST_BACK_OFF) : CHECK_EVERY;
        }
    }

    /**
     * Counts a failed pass and logs it (the 1st, 2nd, 4th, 8th, ... failure, so a pass that fails every 20 ms does
     * not flood the log); the loop goes on. An {@link OutOfMemoryError} is logged with a constant message and no
     * stack trace (formatting one needs the heap that just ran out), and a failure to log is dropped.
     */
    private void passFailed(Throwable e) {
        long failures = failedPasses.incrementAndGet();
        if (Long.bitCount(failures) != 1) {
            return;
        }
        try {
            if (e instanceof OutOfMemoryError) {
                log.error(OUT_OF_MEMORY);
            } else {
                log.atError().setCause(e).log("watchdog pass failed ({} so far); the watchdog goes on", failures);
            }
        } catch (Throwable ignored) {
            // logging needs memory too; the count above is the record
        }
    }

    /** True while the watchdog thread runs: false only after {@link #close} or if the thread died. */
    boolean alive() {
        return thread.isAlive();
    }

    /** Passes that failed and were skipped (the watchdog went on), since start. */
    long failedPasses() {
        return failedPasses.get();
    }

    private enum Check {
        /** The live heap is below the mark (after the collection, or after stops). */
        BELOW,
        /** Calls were stopped and the heap is still above the mark. */
        STOPPED,
        /** The live heap stays above the mark and no call could be stopped: back off. */
        NOTHING_TO_STOP
    }

    /**
     * Collects; if the live heap is above the mark, closes the idle contexts (and collects again if that closed any),
     * then stops calls one at a time, largest allocator first, until the heap is below the mark.
     */
    private Check check(SandboxProperties p) {
        double mark = p.heapGuardFraction();
        double before = collectedReading();
        if (before <= mark) {
            return Check.BELOW; // garbage only: the idle contexts are kept
        }
        int open = engine.live().size();
        engine.heapPressure();
        if (engine.live().size() < open) {
            before = collectedReading();
            if (before <= mark) {
                return Check.BELOW;
            }
        }
        List<JsContext.Candidate> candidates = new ArrayList<>();
        long now = System.nanoTime();
        long minNanos = p.heapGuardMinRuntime().toNanos();
        for (JsContext js : engine.live()) {
            JsContext.Candidate candidate = js.memoryCandidate(now, minNanos);
            if (candidate != null) {
                candidates.add(candidate);
            }
        }
        candidates.sort(Comparator.comparingLong(JsContext.Candidate::allocated).reversed());
        boolean stopped = false;
        for (JsContext.Candidate candidate : candidates) {
            if (!candidate.js().stopForMemory(candidate.callId(), INTERRUPT_WAIT)) {
                continue; // it ended meanwhile
            }
            stopped = true;
            double after = before;
            boolean blamed = false;
            try {
                after = collectedReading();
                blamed = after <= mark && before - after >= p.heapGuardBlameFraction();
            } finally {
                candidate.js().verdict(candidate.callId(), blamed); // the stopped call waits for it, whatever happens
            }
            log.atWarn()
                    .log(
                            "heap above {} of its maximum: stopped a long-running script that had allocated {} MB;"
                                    + " the heap went from {} to {} of its maximum when it was collected: {}",
                            mark,
                            candidate.allocated() >> 20,
                            String.format("%.2f", before),
                            String.format("%.2f", after),
                            blamed ? "blamed on that call" : "not blamed on that call");
            if (after <= mark) {
                return Check.BELOW;
            }
            before = after;
        }
        return stopped ? Check.STOPPED : Check.NOTHING_TO_STOP;
    }

    /** A call has run long enough to be stopped: the check runs at once, neither rationed nor backed off. */
    private boolean somethingToStop(long now, long minNanos) {
        for (JsContext js : engine.live()) {
            if (js.runningLongerThan(now, minNanos)) {
                return true;
            }
        }
        return false;
    }

    private double collectedReading() {
        if (collector != null) {
            collector.run();
        }
        return heapUsedFraction.getAsDouble();
    }

    /** Used heap as a fraction of the maximum heap, from the JVM's memory bean. */
    static double heapUsedFraction() {
        MemoryUsage heap = MEMORY.getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : Runtime.getRuntime().maxMemory();
        return (double) heap.getUsed() / max;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
