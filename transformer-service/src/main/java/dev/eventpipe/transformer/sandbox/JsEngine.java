package dev.eventpipe.transformer.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongUnaryOperator;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;
import org.jspecify.annotations.Nullable;

/**
 * The one GraalJS engine of the process. Every context shares it, so a script parsed and compiled in one context is
 * reused by all. All contexts get the same host-access configuration (GraalJS refuses different ones on a shared
 * engine): no host access, no IO, no threads, no processes, no environment, no polyglot. The engine's
 * {@link Watchdog} watches the calls of every context, whichever pool it belongs to.
 */
public final class JsEngine implements AutoCloseable {
    private static final String HARNESS_NAME = "harness.js";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.@Nullable ThreadMXBean ALLOCATION = allocationCounter();
    private final Engine engine;
    private final SandboxProperties properties;
    private final Source harness;
    private final @Nullable ResourceLimits limits;
    private final Set<JsContext> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong stoppedCalls = new AtomicLong();
    private final List<Runnable> heapPressureListeners = new CopyOnWriteArrayList<>();
    private final Watchdog watchdog;
    private final LongUnaryOperator cpuClock;

    private static final DoubleSupplier REAL_HEAP = Watchdog::heapUsedFraction;

    public JsEngine(SandboxProperties properties) {
        this(properties, REAL_HEAP);
    }

    /** With a custom heap probe that has no garbage to collect (tests make the heap look full). */
    JsEngine(SandboxProperties properties, DoubleSupplier heapUsedFraction) {
        this(properties, heapUsedFraction, JsEngine::threadCpuTime, null);
    }

    /** With a custom heap probe and CPU clock (tests play a busy machine). */
    JsEngine(SandboxProperties properties, DoubleSupplier heapUsedFraction, LongUnaryOperator cpuClock) {
        this(properties, heapUsedFraction, cpuClock, null);
    }

    /** With a custom heap probe and what collects its garbage before a reading counts (tests count collections). */
    JsEngine(SandboxProperties properties, DoubleSupplier heapUsedFraction, @Nullable Runnable collector) {
        this(properties, heapUsedFraction, JsEngine::threadCpuTime, collector);
    }

    private JsEngine(
            SandboxProperties properties,
            DoubleSupplier heapUsedFraction,
            LongUnaryOperator cpuClock,
            @Nullable Runnable collector) {
        this.properties = properties;
        this.cpuClock = cpuClock;
        this.engine = Engine.newBuilder("js")
                .option("engine.WarnInterpreterOnly", "false")
                .out(OutputStream.nullOutputStream())
                .build();
        this.harness = Source.newBuilder("js", resource("js/harness.js"), HARNESS_NAME)
                .cached(true)
                .buildLiteral();
        this.limits = properties.statementLimit() > 0
                ? ResourceLimits.newBuilder()
                        // no source filter: with one, GraalJS counts statements on a slow path (about 4x fewer
                        // events per CPU-second in the benchmark); the harness's start-up counts are reset below
                        .statementLimit(properties.statementLimit(), null)
                        .build()
                : null;
        // the real heap has garbage to collect before its reading counts as pressure
        this.watchdog = new Watchdog(this, heapUsedFraction, heapUsedFraction == REAL_HEAP ? System::gc : collector);
    }

    /** CPU nanoseconds the thread with this id has used, or -1 when the JVM cannot tell. */
    long cpuTime(long threadId) {
        return cpuClock.applyAsLong(threadId);
    }

    /**
     * Bytes the thread with this id has allocated so far (HotSpot counts every allocation of a thread, the script's
     * included: a context runs on its script thread), or -1 when the JVM cannot tell.
     */
    long allocatedBytes(long threadId) {
        return ALLOCATION == null ? -1 : ALLOCATION.getThreadAllocatedBytes(threadId);
    }

    /** The same for the calling thread (cheap: read once at the start of every call). */
    static long currentThreadAllocatedBytes() {
        return ALLOCATION == null ? -1 : ALLOCATION.getCurrentThreadAllocatedBytes();
    }

    /**
     * Allocation by one call from which its engine's own out-of-memory failure is blamed on that call's code (a stop
     * by the heap guard is blamed by what the call held instead, see {@link Watchdog}).
     */
    long blameBytes() {
        return (long) (Runtime.getRuntime().maxMemory() * properties.heapGuardBlameFraction());
    }

    private static com.sun.management.@Nullable ThreadMXBean allocationCounter() {
        return THREADS instanceof com.sun.management.ThreadMXBean counting
                        && counting.isThreadAllocatedMemorySupported()
                        && counting.isThreadAllocatedMemoryEnabled()
                ? counting
                : null;
    }

    private static long threadCpuTime(long threadId) {
        return THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(threadId) : -1;
    }

    /** "GraalVM CE" with the optimizing JIT, "Interpreted" on the fallback runtime. */
    public String implementationName() {
        return engine.getImplementationName();
    }

    public boolean optimizing() {
        return !"Interpreted".equalsIgnoreCase(implementationName());
    }

    boolean hasStatementLimit() {
        return limits != null;
    }

    public SandboxProperties properties() {
        return properties;
    }

    /** Calls the watchdog stopped (wall-clock limit or heap guard), counted as their failures are reported. */
    public long stoppedCalls() {
        return stoppedCalls.get();
    }

    /**
     * True while the watchdog runs. If it is dead, no call is timed out, deadline-stopped or stopped for memory any
     * more: {@code /health} answers 503.
     */
    public boolean watchdogAlive() {
        return watchdog.alive();
    }

    /** Watchdog passes that failed (an exception or an error, logged) and were skipped, the watchdog going on. */
    public long watchdogFailedPasses() {
        return watchdog.failedPasses();
    }

    void countStopped() {
        stoppedCalls.incrementAndGet();
    }

    /** Contexts currently open, for the watchdog. */
    Set<JsContext> live() {
        return live;
    }

    /** Called by the watchdog when a collection found the live heap above the mark, before it stops any call. */
    void onHeapPressure(Runnable listener) {
        heapPressureListeners.add(listener);
    }

    void heapPressure() {
        heapPressureListeners.forEach(Runnable::run);
    }

    /**
     * A new sandboxed context of {@code realm} with the harness loaded, the built-ins frozen; the caller owns it and
     * must close it.
     */
    JsContext newContext(Realm realm) {
        Context.Builder builder = Context.newBuilder("js")
                .engine(engine)
                .allowHostAccess(HostAccess.NONE)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .option("js.esm-eval-returns-exports", "true")
                .option("js.console", "false")
                .option("js.print", "false")
                .option("js.load", "false")
                .option("js.graal-builtin", "false");
        if (limits != null) {
            builder.resourceLimits(limits);
        }
        Context context = builder.build();
        JsContext js = new JsContext(this, realm, context, context.eval(harness));
        if (limits != null) {
            context.resetLimits(); // freezing the built-ins is ours, not the first call's
        }
        live.add(js);
        return js;
    }

    void closed(JsContext js) {
        live.remove(js);
    }

    static String resource(String path) {
        try (InputStream in = JsEngine.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        watchdog.close();
        live.forEach(JsContext::close);
        engine.close();
    }
}
