package dev.eventpipe.transformer.sandbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of platform script threads and the idle contexts they reuse, by {@link Realm}. A task names its realm;
 * its thread takes an idle context of that realm, or creates one, runs the work, and gives the context back (or
 * closes it, when a limit broke it or the realm is single-use). A context therefore only ever runs the code of its
 * realm: one transformation version, or the destination modules. At most {@code maxIdle} contexts wait idle; the
 * least recently used go first. Request threads (virtual) only wait on the returned future, so no polyglot context
 * ever runs on a virtual thread. When the task queue is full, {@link #submit} throws
 * {@link java.util.concurrent.RejectedExecutionException}.
 */
public final class ContextPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContextPool.class);

    private final JsEngine engine;
    private final boolean ownsEngine;
    private final ThreadPoolExecutor workers;
    private final int size;
    private final int maxIdle;
    private final ArrayDeque<JsContext> idle = new ArrayDeque<>(); // least recently used first; guarded by itself
    private final AtomicLong created = new AtomicLong();

    /** A pool of the engine's configured size that closes the engine when it is closed (tests, tools). */
    public ContextPool(JsEngine engine) {
        this(
                engine,
                true,
                engine.properties().effectivePoolSize(),
                engine.properties().idleContexts(),
                "js");
    }

    private ContextPool(JsEngine engine, boolean ownsEngine, int size, int maxIdle, String name) {
        SandboxProperties properties = engine.properties();
        this.engine = engine;
        this.ownsEngine = ownsEngine;
        this.size = size;
        this.maxIdle = maxIdle;
        AtomicInteger threads = new AtomicInteger();
        long stack = properties.threadStack().toBytes();
        this.workers = new ThreadPoolExecutor(
                size, size, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(properties.queueCapacity()), task -> {
                    Thread thread = new Thread(null, task, name + "-" + threads.incrementAndGet(), stack);
                    thread.setDaemon(true);
                    return thread;
                });
        engine.onHeapPressure(this::dropIdle);
        log.atInfo()
                .addKeyValue("threads", size)
                .addKeyValue("maxIdleContexts", maxIdle)
                .addKeyValue("runtime", engine.implementationName())
                .log("script pool {} ready", name);
    }

    /**
     * A pool of {@code size} threads on an engine shared with other pools; closing it leaves the engine open.
     *
     * @param maxIdle contexts kept for reuse (0: every context is closed after its task)
     */
    public static ContextPool sharing(JsEngine engine, int size, int maxIdle, String name) {
        return new ContextPool(engine, false, size, maxIdle, name);
    }

    /** Runs {@code work} on a script thread in a context of {@code realm}, within the default request deadline. */
    public <T> CompletableFuture<T> submit(Realm realm, Function<JsContext, T> work) {
        return submit(realm, deadlineFromNow(engine.properties().requestDeadline()), work);
    }

    /**
     * Runs {@code work} on a script thread in a context of {@code realm}. Past {@code deadlineNanos} (a
     * {@link System#nanoTime()} value) the running call is stopped and the future fails with a retryable
     * {@link ScriptFailure} of kind {@code DEADLINE}; a task that only starts after it does not run at all.
     */
    public <T> CompletableFuture<T> submit(Realm realm, long deadlineNanos, Function<JsContext, T> work) {
        return CompletableFuture.supplyAsync(() -> runOnce(realm, deadlineNanos, work), workers);
    }

    /**
     * The task's result; a retryable {@link ScriptFailure} (memory, deadline, engine failure) becomes
     * {@link SandboxUnavailable}, a full task queue stays {@link java.util.concurrent.RejectedExecutionException}.
     */
    public static <T> T await(CompletableFuture<T> task) {
        try {
            return task.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof ScriptFailure failure && failure.retryable()) {
                throw new SandboxUnavailable(String.valueOf(failure.getMessage()));
            }
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    public static long deadlineFromNow(java.time.Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    private <T> T runOnce(Realm realm, long deadlineNanos, Function<JsContext, T> work) {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw JsContext.deadlinePassed();
        }
        JsContext js = take(realm);
        js.bind(Thread.currentThread(), deadlineNanos);
        try {
            return work.apply(js);
        } finally {
            giveBack(js);
        }
    }

    private JsContext take(Realm realm) {
        if (realm.reusable()) {
            synchronized (idle) {
                Iterator<JsContext> newestFirst = idle.descendingIterator();
                while (newestFirst.hasNext()) {
                    JsContext js = newestFirst.next();
                    if (js.realm().equals(realm)) {
                        newestFirst.remove();
                        return js;
                    }
                }
            }
        }
        created.incrementAndGet();
        return engine.newContext(realm);
    }

    private void giveBack(JsContext js) {
        if (js.isBroken() || !js.realm().reusable() || maxIdle == 0) {
            js.close();
            return;
        }
        List<JsContext> evicted = new ArrayList<>();
        synchronized (idle) {
            idle.addLast(js);
            while (idle.size() > maxIdle) {
                evicted.add(idle.removeFirst());
            }
        }
        evicted.forEach(JsContext::close);
    }

    /** Closes every idle context, so whatever their scripts hold becomes garbage (the heap is nearly full). */
    void dropIdle() {
        List<JsContext> dropped;
        synchronized (idle) {
            dropped = new ArrayList<>(idle);
            idle.clear();
        }
        if (!dropped.isEmpty()) {
            log.atWarn().addKeyValue("contexts", dropped.size()).log("heap nearly full: closed the idle contexts");
            dropped.forEach(JsContext::close);
        }
    }

    /** Script threads: at most this many contexts run at once. */
    public int size() {
        return size;
    }

    public int idle() {
        synchronized (idle) {
            return idle.size();
        }
    }

    /** Contexts created so far (each costs the harness, the freezing of the built-ins and the code's evaluation). */
    public long contextsCreated() {
        return created.get();
    }

    public int queued() {
        return workers.getQueue().size();
    }

    /** Calls stopped by the watchdog so far (wall-clock limit or heap guard), counted engine-wide. */
    public long stoppedCalls() {
        return engine.stoppedCalls();
    }

    public JsEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        workers.shutdownNow();
        synchronized (idle) {
            idle.forEach(JsContext::close);
            idle.clear();
        }
        if (ownsEngine) {
            engine.close();
        }
    }
}
