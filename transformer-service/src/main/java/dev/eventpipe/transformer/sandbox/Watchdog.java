package dev.eventpipe.transformer.sandbox;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform thread that checks the running calls every {@code watchdogInterval} (see {@link JsContext#watch}):
 * a call past its CPU limit, or past its request's deadline, is interrupted ({@code Context.interrupt}, the context
 * stays usable); while the heap is above {@code heapGuardFraction} of its maximum, calls that have run longer than
 * {@code heapGuardMinRuntime} are interrupted too and the pools close their idle contexts (whatever scripts keep in
 * them becomes garbage), because GraalJS CE cannot cap a context's heap. A per-call timer would cost a scheduler
 * entry per event; a scan costs nothing per call.
 *
 * <p>A reading above the mark is first checked against a collection ({@code System.gc()}, at most once a second,
 * and once more after each stop or closing for memory, whose leftovers are garbage):
 * the heap's "used" figure includes garbage until the collector runs, and after a hoard was stopped its arrays,
 * or the contexts just closed, can keep the figure above the mark for long (with the serial collector until the
 * old generation fills). Without the check, every long call of every tenant was stopped, and its request answered
 * 503, for as long as that garbage lay there, and the next hoarding call was stopped before it had allocated
 * enough to be blamed (see {@code heapGuardBlameFraction}). Only the live heap above the mark is pressure.
 */
final class Watchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
    private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(2);
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final long PRESSURE_EVERY = Duration.ofSeconds(1).toNanos();

    private final JsEngine engine;
    private final Thread thread;
    private final DoubleSupplier heapUsedFraction;
    private final boolean collectFirst;
    private volatile boolean running = true;

    /** @param collectFirst collect garbage before a reading above the mark counts (the real heap; not a test's probe) */
    Watchdog(JsEngine engine, DoubleSupplier heapUsedFraction, boolean collectFirst) {
        this.engine = engine;
        this.heapUsedFraction = heapUsedFraction;
        this.collectFirst = collectFirst;
        this.thread = Thread.ofPlatform().name("js-watchdog").daemon().start(this::loop);
    }

    private void loop() {
        SandboxProperties p = engine.properties();
        long intervalNanos = p.watchdogInterval().toNanos();
        long timeoutNanos = p.timeout().toNanos();
        long minNanos = p.heapGuardMinRuntime().toNanos();
        long lastPressure = System.nanoTime() - PRESSURE_EVERY;
        long lastCollection = System.nanoTime() - PRESSURE_EVERY;
        boolean garbageSinceCollection = false; // calls stopped or contexts closed for memory since the last collection
        while (running) {
            try {
                long now = System.nanoTime();
                boolean heapNearlyFull = heapUsedFraction.getAsDouble() > p.heapGuardFraction();
                if (heapNearlyFull
                        && collectFirst
                        && (garbageSinceCollection || now - lastCollection > PRESSURE_EVERY)) {
                    System.gc();
                    now = System.nanoTime();
                    lastCollection = now;
                    garbageSinceCollection = false;
                    heapNearlyFull = heapUsedFraction.getAsDouble() > p.heapGuardFraction();
                }
                for (JsContext js : engine.live()) {
                    garbageSinceCollection |= js.watch(now, timeoutNanos, heapNearlyFull, minNanos, INTERRUPT_WAIT);
                }
                if (heapNearlyFull && now - lastPressure > PRESSURE_EVERY) {
                    lastPressure = now;
                    engine.heapPressure();
                    garbageSinceCollection = true;
                }
                Thread.sleep(Duration.ofNanos(intervalNanos));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).log("watchdog pass failed");
            }
        }
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
