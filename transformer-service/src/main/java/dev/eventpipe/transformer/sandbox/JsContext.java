package dev.eventpipe.transformer.sandbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GraalJS context of one {@link Realm}, with the harness loaded and the built-ins frozen. It runs the code of
 * its realm only: the single transformation version it was made for, or the destination modules. Single-threaded:
 * only the script thread that took it from the pool calls it. The watchdog thread reads the running call's start
 * and may interrupt it; the lock on this object makes sure an interrupt meant for one call never lands on the next.
 */
public final class JsContext implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JsContext.class);

    private final JsEngine engine;
    private final Realm realm;
    private final Context context;
    private final Value runEvent;
    private final Value runBatch;
    private final Value runDestination;
    private final Value callModule;
    private final Value prepare;
    private final Value parse;
    private final Value settle;
    private final Value capture;
    private final Value takeLogs;
    private final boolean limited;
    private final Map<String, Value> modules = new HashMap<>();
    private @Nullable String codeKey;
    private @Nullable Value code;
    private volatile long callId;
    private volatile long callStartNanos;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private volatile long threadId = -1;
    private long sequence;
    private @Nullable Kill kill;
    private volatile boolean broken;
    // read and written by the watchdog thread only: the CPU time of the running call's thread when first seen
    private long watchedCallId;
    private long firstSeenNanos;
    private long cpuAtFirstSight;
    private long lastCpu;
    private long lastCpuChangeNanos;
    // the script thread's allocation counter when the running call started (written before callId, which publishes it)
    private long allocatedAtStart;
    // bytes the running call has allocated so far, as the watchdog last read it; written under the lock, for that
    // call only (the watchdog's order of memory stops: largest allocator first)
    private long callAllocated;
    // the watchdog's verdict on a memory stop, under the lock: the stopped call waits for it (see Watchdog)
    private Verdict verdict = Verdict.NONE;
    private long verdictFor;
    // set by the stopped call's thread once it waits for the verdict: its frames are gone by then
    private boolean awaitingVerdict;
    private static final long VERDICT_WAIT_MILLIS = 30_000;

    /** Whether a call stopped for memory held what filled the heap, as the watchdog found after collecting. */
    enum Verdict {
        NONE,
        PENDING,
        BLAMED,
        CLEARED
    }

    /** Why the watchdog stopped a call. */
    enum Kill {
        TIMEOUT,
        MEMORY,
        DEADLINE
    }

    JsContext(JsEngine engine, Realm realm, Context context, Value harness) {
        this.engine = engine;
        this.realm = realm;
        this.context = context;
        this.runEvent = harness.getMember("runEvent");
        this.runBatch = harness.getMember("runBatch");
        this.runDestination = harness.getMember("runDestination");
        this.callModule = harness.getMember("callModule");
        this.prepare = harness.getMember("prepare");
        this.parse = harness.getMember("parse");
        this.settle = harness.getMember("settle");
        this.capture = harness.getMember("capture");
        this.takeLogs = harness.getMember("takeLogs");
        this.limited = engine.hasStatementLimit();
    }

    public Realm realm() {
        return realm;
    }

    /**
     * The user's code, evaluated in this context on first use. A context runs the code of one transformation
     * version only: asking for another key is a bug and throws.
     */
    public Value userCode(String key, Source source) {
        if (realm.runsDestinations()) {
            throw new IllegalStateException("user code never runs in the destinations' realm");
        }
        if (code == null) {
            codeKey = key;
            code = guarded(() -> prepare.execute(context.eval(source)));
        } else if (!key.equals(codeKey)) {
            throw new IllegalStateException("a context runs the code of one transformation version only");
        }
        return code;
    }

    public boolean isBatch(Value code) {
        return code.getMember("batch").asBoolean();
    }

    /** A destination module (an object with {@code process}), evaluated once per type in this context. */
    public Value module(String type, Supplier<Source> source) {
        if (!realm.runsDestinations()) {
            throw new IllegalStateException("destination modules run in the destinations' realm only");
        }
        Value found = modules.get(type);
        if (found == null) {
            found = guarded(() -> context.eval(source.get()));
            modules.put(type, found);
        }
        return found;
    }

    /** The task using this context from now on: its thread (for the CPU clock) and its request's deadline. */
    void bind(Thread thread, long deadline) {
        this.threadId = thread.threadId();
        this.deadlineNanos = deadline;
    }

    /** Throws a retryable {@link ScriptFailure} when the request's deadline has passed; runners ask between calls. */
    public void checkDeadline() {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw deadlinePassed();
        }
    }

    static ScriptFailure deadlinePassed() {
        return new ScriptFailure(ScriptFailure.Kind.DEADLINE, "The request ran past its deadline; retry it later");
    }

    /** Runs transformEvent for one event; returns the harness's encoded result. */
    public String runEvent(Value code, String eventJson, String metadataJson) {
        return settled(call(runEvent, code, eventJson, metadataJson));
    }

    /** Runs transformBatch for all events of one group; returns the harness's encoded result. */
    public String runBatch(Value code, String eventsJson, String metadataJson) {
        return settled(call(runBatch, code, eventsJson, metadataJson));
    }

    public String runDestination(Value module, String messageJson, Value destination, String metadataJson) {
        return call(runDestination, module, messageJson, destination, metadataJson);
    }

    /**
     * Calls {@code module[member](...args, destination)} of a destination's batch module ({@code argsJson} is a JSON
     * array); returns the harness's encoded result: "1" + the result as JSON, "D" for none, "E" + message.
     */
    public String callModule(Value module, String member, String argsJson, Value destination) {
        return call(callModule, module, member, argsJson, destination);
    }

    /** A JSON document as a value of this context (e.g. a destination's config, parsed once per request). */
    public Value parse(String json) {
        return guarded(() -> parse.execute(json));
    }

    /** Turns capturing of {@code log()} lines on or off and clears the captured lines. */
    public void captureLogs(boolean on) {
        capture.execute(on);
    }

    /** The captured lines as a JSON array of strings. */
    public String takeLogs() {
        return takeLogs.execute().asString();
    }

    private String settled(String encoded) {
        // promise jobs run when the call returns to Java, so a pending result is settled by now (or never will be)
        return "P".equals(encoded) ? call(settle) : encoded;
    }

    private String call(Value function, Object... args) {
        String result = guarded(() -> function.execute(args)).asString();
        if (result.length() > engine.properties().maxOutputChars()) {
            return "EThe transformation returned more than "
                    + engine.properties().maxOutputChars() + " characters";
        }
        return result;
    }

    private Value guarded(Supplier<Value> work) {
        if (limited) {
            context.resetLimits();
        }
        callStartNanos = System.nanoTime();
        allocatedAtStart = JsEngine.currentThreadAllocatedBytes();
        callId = ++sequence;
        Value result = null;
        PolyglotException failure = null;
        try {
            result = work.get();
        } catch (PolyglotException e) {
            failure = e;
        }
        Kill reason;
        long allocated;
        boolean blamed = false;
        synchronized (this) {
            callId = 0;
            reason = kill;
            kill = null;
            allocated = callAllocated;
            callAllocated = 0;
            if (reason == Kill.MEMORY) {
                // let go of the exception and the result before the watchdog collects: the exception's stack trace
                // can hold the script's frames, and with them what the call held
                if (failure != null && (failure.isCancelled() || failure.isResourceExhausted())) {
                    broken = true;
                }
                failure = null;
                result = null;
                blamed = awaitVerdict();
            }
            verdict = Verdict.NONE;
            awaitingVerdict = false;
        }
        if (reason == Kill.MEMORY) {
            engine.countStopped();
            throw memoryStop(allocated, blamed);
        }
        if (failure != null) {
            throw failure(failure, reason, allocated, blamed);
        }
        return result;
    }

    /** Waits (under the lock) for the watchdog to collect and say whether this call held what filled the heap. */
    private boolean awaitVerdict() {
        long until = System.nanoTime() + VERDICT_WAIT_MILLIS * 1_000_000;
        awaitingVerdict = true;
        notifyAll();
        try {
            while (verdict == Verdict.PENDING) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return false; // no verdict in time: not blamed
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return verdict == Verdict.BLAMED;
    }

    private ScriptFailure failure(
            PolyglotException e, @Nullable Kill reason, long allocated, boolean heldWhatFilledTheHeap) {
        if (e.isCancelled() || (e.isResourceExhausted() && !e.isInterrupted())) {
            broken = true;
        }
        if (reason != null) {
            engine.countStopped();
        }
        if (reason == Kill.TIMEOUT) {
            return new ScriptFailure(
                    ScriptFailure.Kind.TIMEOUT,
                    "Script execution timed out after "
                            + engine.properties().timeout().toMillis() + " ms of CPU time");
        }
        if (reason == Kill.DEADLINE) {
            return deadlinePassed();
        }
        if (reason == Kill.MEMORY) {
            return memoryStop(allocated, heldWhatFilledTheHeap);
        }
        // the engine itself ran out: the allocation since the call started is all there is to go by here
        boolean filledTheHeap = allocated >= engine.blameBytes();
        if (e.isResourceExhausted()) {
            String message = String.valueOf(e.getMessage());
            return message.contains("Statement count limit")
                    ? new ScriptFailure(ScriptFailure.Kind.STATEMENT_LIMIT, message)
                    : new ScriptFailure(
                            ScriptFailure.Kind.MEMORY,
                            "Script ran out of resources: " + message + allocation(allocated),
                            filledTheHeap);
        }
        if (e.isGuestException() || e.isSyntaxError()) {
            return new ScriptFailure(ScriptFailure.Kind.ERROR, String.valueOf(e.getMessage()));
        }
        log.atWarn().setCause(e).log("script call failed inside the engine");
        broken = true;
        return new ScriptFailure(ScriptFailure.Kind.INTERNAL, "Internal error: " + e.getMessage());
    }

    private static ScriptFailure memoryStop(long allocated, boolean heldWhatFilledTheHeap) {
        return new ScriptFailure(
                ScriptFailure.Kind.MEMORY,
                heldWhatFilledTheHeap
                        ? "Script stopped: the service's heap is nearly full, and stopping this call freed it (the"
                                + " call held what filled it)" + allocation(allocated)
                        : "Script stopped: the service's heap is nearly full while it ran" + allocation(allocated),
                heldWhatFilledTheHeap);
    }

    private static String allocation(long bytes) {
        return bytes >= 1 << 20 ? " (this call allocated " + (bytes >> 20) + " MB)" : "";
    }

    /**
     * Called by the watchdog: stops the running call when the request's deadline passed, or when the call used more
     * than {@code timeoutNanos} of CPU, or got no CPU at all for {@code timeoutNanos} (it blocks). A call that waits
     * for a CPU on a busy machine is not the code's fault and is left alone until the deadline, which the caller may
     * retry. Stops for memory are the watchdog's, one call at a time ({@link #memoryCandidate}).
     */
    void watch(long now, long timeoutNanos, Duration interruptWait) {
        long id = callId;
        if (id == 0) {
            return;
        }
        if (now - deadlineNanos > 0) {
            stop(id, Kill.DEADLINE, interruptWait);
            return;
        }
        if (id != watchedCallId) {
            watchedCallId = id;
            firstSeenNanos = now;
            cpuAtFirstSight = cpuTime();
            lastCpu = cpuAtFirstSight;
            lastCpuChangeNanos = now;
        }
        noteAllocation(id);
        long wall = now - callStartNanos;
        if (wall <= timeoutNanos) {
            return;
        }
        long cpu = cpuTime();
        if (cpu < 0 || cpuAtFirstSight < 0) {
            stop(id, Kill.TIMEOUT, interruptWait); // no CPU clock: the wall clock is all there is
            return;
        }
        long used = cpu - cpuAtFirstSight + (firstSeenNanos - callStartNanos);
        if (cpu != lastCpu) {
            lastCpu = cpu;
            lastCpuChangeNanos = now;
        }
        if (used > timeoutNanos || now - lastCpuChangeNanos > timeoutNanos) {
            stop(id, Kill.TIMEOUT, interruptWait);
        }
    }

    /** A running call the heap guard may stop, with what it allocated so far (the order: largest first). */
    record Candidate(JsContext js, long callId, long allocated) {}

    /** A call is running and has run longer than {@code minNanos} (a candidate for a memory stop). */
    boolean runningLongerThan(long now, long minNanos) {
        return callId != 0 && now - callStartNanos > minNanos;
    }

    /** The running call as a candidate for a memory stop, or null (none, or it has run {@code minNanos} or less). */
    @Nullable
    Candidate memoryCandidate(long now, long minNanos) {
        long id = callId;
        if (id == 0 || now - callStartNanos <= minNanos) {
            return null;
        }
        noteAllocation(id);
        synchronized (this) {
            return callId == id ? new Candidate(this, id, callAllocated) : null;
        }
    }

    /**
     * Stops call {@code id} for memory and closes this context, so that what the call held, in its frames or in the
     * context's globals, is garbage; the call then waits for {@link #verdict}. False when the call already ended.
     */
    boolean stopForMemory(long id, Duration interruptWait) {
        synchronized (this) {
            if (callId != id) {
                return false;
            }
            verdict = Verdict.PENDING;
            verdictFor = id;
            awaitingVerdict = false;
            if (!stop(id, Kill.MEMORY, interruptWait)) {
                verdict = Verdict.NONE;
                return false;
            }
            // the interrupt may return while the call's thread still unwinds the script's frames (and holds what
            // they hold): wait until it is back in guarded() waiting for the verdict, so the collection finds them gone
            long until = System.nanoTime() + interruptWait.toNanos();
            try {
                while (!awaitingVerdict) {
                    long left = until - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            broken = true; // the pool closes it for good and the rest of the chunk goes to a fresh context
            try {
                context.close(true);
            } catch (RuntimeException e) {
                log.atDebug().setCause(e).log("closing a context stopped for memory failed");
            }
        }
        return true;
    }

    /** The watchdog's verdict on the memory stop of call {@code id}: did it hold what filled the heap. */
    synchronized void verdict(long id, boolean heldWhatFilledTheHeap) {
        if (verdictFor == id && verdict == Verdict.PENDING) {
            verdict = heldWhatFilledTheHeap ? Verdict.BLAMED : Verdict.CLEARED;
            notifyAll();
        }
    }

    /** What the running call has allocated since it started, for {@link #failure} (calls it never sees are short). */
    private void noteAllocation(long id) {
        long now = allocatedBytes();
        synchronized (this) {
            long start = allocatedAtStart;
            if (callId == id && now >= 0 && start >= 0) {
                callAllocated = now - start;
            }
        }
    }

    private long allocatedBytes() {
        long id = threadId;
        return id < 0 ? -1 : engine.allocatedBytes(id);
    }

    private long cpuTime() {
        long id = threadId;
        return id < 0 ? -1 : engine.cpuTime(id);
    }

    private synchronized boolean stop(long id, Kill reason, Duration interruptWait) {
        if (callId != id) {
            return false; // that call already ended
        }
        kill = reason;
        try {
            context.interrupt(interruptWait);
        } catch (TimeoutException e) {
            log.atWarn().addKeyValue("reason", reason).log("script did not stop on interrupt; cancelling its context");
            broken = true;
            context.close(true);
        }
        return true;
    }

    /** True once the context cannot run more code (cancelled by a limit); the pool replaces it. */
    public boolean isBroken() {
        return broken;
    }

    @Override
    public void close() {
        broken = true;
        engine.closed(this);
        try {
            context.close(true);
        } catch (RuntimeException e) {
            log.atDebug().setCause(e).log("closing a context failed");
        }
    }
}
