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
 */
final class Watchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
    private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(2);
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final long PRESSURE_EVERY = Duration.ofSeconds(1).toNanos();

    private final JsEngine engine;
    private final Thread thread;
    private final DoubleSupplier heapUsedFraction;
    private volatile boolean running = true;

    Watchdog(JsEngine engine, DoubleSupplier heapUsedFraction) {
        this.engine = engine;
        this.heapUsedFraction = heapUsedFraction;
        this.thread = Thread.ofPlatform().name("js-watchdog").daemon().start(this::loop);
    }

    private void loop() {
        SandboxProperties p = engine.properties();
        long intervalNanos = p.watchdogInterval().toNanos();
        long timeoutNanos = p.timeout().toNanos();
        long minNanos = p.heapGuardMinRuntime().toNanos();
        long lastPressure = System.nanoTime() - PRESSURE_EVERY;
        while (running) {
            try {
                long now = System.nanoTime();
                boolean heapNearlyFull = heapUsedFraction.getAsDouble() > p.heapGuardFraction();
                for (JsContext js : engine.live()) {
                    js.watch(now, timeoutNanos, heapNearlyFull, minNanos, INTERRUPT_WAIT);
                }
                if (heapNearlyFull && now - lastPressure > PRESSURE_EVERY) {
                    lastPressure = now;
                    engine.heapPressure();
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
