package dev.eventpipe.transformer.sandbox;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contexts in a blocking queue, used by a fixed set of platform threads (as many as contexts). Script work is
 * submitted as a task: the task's thread takes a context, runs the work, and puts the context back, or a fresh one
 * if a limit cancelled it. Request threads (virtual) only wait on the returned future, so no polyglot context ever
 * runs on a virtual thread. When the task queue is full, {@link #submit} throws
 * {@link java.util.concurrent.RejectedExecutionException}.
 */
public final class ContextPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContextPool.class);

    private final JsEngine engine;
    private final BlockingQueue<JsContext> idle;
    private final ThreadPoolExecutor workers;
    private final Watchdog watchdog;
    private final int size;

    public ContextPool(JsEngine engine) {
        this(engine, Watchdog::heapUsedFraction);
    }

    /** A pool of {@code size} contexts on an engine shared with other pools (the benchmark compares sizes). */
    public ContextPool(JsEngine engine, int size) {
        this(engine, Watchdog::heapUsedFraction, size);
    }

    /** With a custom heap probe (tests make the heap look full). */
    ContextPool(JsEngine engine, DoubleSupplier heapUsedFraction) {
        this(engine, heapUsedFraction, engine.properties().effectivePoolSize());
    }

    private ContextPool(JsEngine engine, DoubleSupplier heapUsedFraction, int size) {
        SandboxProperties properties = engine.properties();
        this.engine = engine;
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            idle.add(engine.newContext());
        }
        AtomicInteger threads = new AtomicInteger();
        long stack = properties.threadStack().toBytes();
        this.workers = new ThreadPoolExecutor(
                size, size, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(properties.queueCapacity()), task -> {
                    Thread thread = new Thread(null, task, "js-" + threads.incrementAndGet(), stack);
                    thread.setDaemon(true);
                    return thread;
                });
        this.watchdog = new Watchdog(engine, heapUsedFraction);
        log.atInfo()
                .addKeyValue("contexts", size)
                .addKeyValue("runtime", engine.implementationName())
                .log("script pool ready");
    }

    public <T> CompletableFuture<T> submit(Function<JsContext, T> work) {
        return CompletableFuture.supplyAsync(() -> runOnce(work), workers);
    }

    private <T> T runOnce(Function<JsContext, T> work) {
        JsContext js;
        try {
            js = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a context", e);
        }
        try {
            return work.apply(js);
        } finally {
            if (js.isBroken()) {
                js.close();
                idle.add(engine.newContext());
            } else {
                idle.add(js);
            }
        }
    }

    public int size() {
        return size;
    }

    public int idle() {
        return idle.size();
    }

    public int queued() {
        return workers.getQueue().size();
    }

    /** Calls stopped by the watchdog so far (wall-clock limit or heap guard). */
    public long stoppedCalls() {
        return engine.stoppedCalls();
    }

    public JsEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        watchdog.close();
        workers.shutdownNow();
        engine.close();
    }
}
