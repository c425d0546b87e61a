package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.sandbox.SandboxProperties;
import dev.eventpipe.transformer.sandbox.SandboxUnavailable;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * The child JVMs of struck versions, one per version, at most {@code max-processes} alive, counting children still
 * ending (so the container never holds more children than it was sized for). Calls wait for a process in arrival
 * order, each at most until its request's deadline (then 503, retry, never a failure): a call goes to its version's
 * child when that has fewer than {@code max-calls-per-process} calls in flight, or starts the version's child in a
 * free slot; while versions wait for a slot, the least recently used idle child ends for them, or else the busy
 * child that has held its slot longest drains (takes no more calls, ends after those in flight), and a slot is
 * taken only once its old child has exited (review-solo P1-3: before, a call found every slot busy was answered 503,
 * so a tenant keeping two struck versions busy held back every batch a third struck version shared with others). A
 * version's events of one request go in calls of at most {@code max-call-bytes} of JSON. A child with no call for
 * {@code idle-timeout} ends. {@link #close} ends them all; a child whose parent ends without closing exits by itself
 * (its stdin closes). The child's deadline for a call is what is left of the parent request's ({@link
 * #DEADLINE_HEADER}).
 *
 * <p>A child that cannot serve a call (it cannot be started, ends while starting or during the call, answers an
 * error, or does not answer in time) answers that call 503 (retry): one failure says little (an operator's kill, the
 * kernel's out-of-memory killer choosing the child for the container's total, a slow start). After {@link
 * #FAILURES_TO_FAIL} such failures in a row for the version, with no answered call between, the events of the call
 * fail instead: the version was blamed for filling the shared heap, its process runs nothing else, and answering 503
 * for ever would hold back every tenant whose events share the processor's batches with it. (Over 300 lines: the
 * slots, the waiting calls, the failures and the ending children are one lock's state, kept in one place.)
 */
public final class VersionProcesses implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VersionProcesses.class);
    static final int FAILURES_TO_FAIL = 3;
    /** Milliseconds left of the parent request's deadline: the child's deadline for the call. */
    static final String DEADLINE_HEADER = "X-Eventpipe-Deadline-Ms";

    private final IsolationProperties settings;
    private final ChildCommand command;
    private final Map<String, String> properties;
    private final Map<String, String> environment;
    private final String authorization;
    private final JsonMapper json;
    private final MeterRegistry metrics;
    private final Map<String, VersionProcess> byVersion = new LinkedHashMap<>(); // guarded by this
    private final Map<String, Integer> failuresInARow = new LinkedHashMap<>(); // guarded by this
    private final Set<VersionProcess> ending = new HashSet<>(); // ended, not exited yet; guarded by this
    private final ArrayDeque<Ticket> waiting = new ArrayDeque<>(); // calls waiting for a process, oldest first
    private final ScheduledExecutorService idleCheck;
    private boolean closed; // guarded by this
    private long slotTurns; // guarded by this

    /**
     * @param properties Spring properties of every child (the parent's sandbox limits, its config backend's URL)
     * @param environment environment of every child, over this process's (the secrets: service token, code token)
     * @param authorization the {@code Authorization} header the children require (the service token)
     */
    VersionProcesses(
            IsolationProperties settings,
            ChildCommand command,
            Map<String, String> properties,
            Map<String, String> environment,
            String authorization,
            JsonMapper json,
            MeterRegistry metrics) {
        this.settings = settings;
        this.command = command;
        this.properties = Map.copyOf(properties);
        this.environment = Map.copyOf(environment);
        this.authorization = authorization;
        this.json = json;
        this.metrics = metrics;
        Gauge.builder("transformer.isolation.processes", this, VersionProcesses::running)
                .description("child JVMs running one struck transformation version each")
                .register(metrics);
        long every = Math.max(100, settings.idleTimeout().toMillis() / 4);
        this.idleCheck = Executors.newSingleThreadScheduledExecutor(
                task -> Thread.ofPlatform().name("isolation-idle").daemon().unstarted(task));
        idleCheck.scheduleWithFixedDelay(this::endIdle, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Children of this JVM ({@link ChildCommand#ofThisJvm}) with the parent's sandbox limits and config backend
     * ({@link ChildSettings}).
     */
    public static VersionProcesses of(
            IsolationProperties settings,
            SandboxProperties sandbox,
            ConfigBackendProperties backend,
            DataSize maxRequestBody,
            JsonMapper json,
            MeterRegistry metrics) {
        ChildSettings child = ChildSettings.of(sandbox, backend, maxRequestBody);
        return new VersionProcesses(
                settings,
                ChildCommand.ofThisJvm(),
                child.properties(),
                child.environment(),
                child.authorization(),
                json,
                metrics);
    }

    /**
     * Runs {@code items} (all of {@code version}) in the version's own process, in calls of at most {@code
     * max-call-bytes} of JSON each, one after another while holding the process (the parts of one request do not
     * give its slot up between them). Answers' indexes are positions in {@code items}. After {@link
     * #FAILURES_TO_FAIL} failures of the version's process in a row, answers the items not answered yet failed.
     *
     * @throws SandboxUnavailable when no process could run them before the deadline, or after a failure short of
     *     the limit: retry
     */
    IsolatedCall.Response transform(
            String version, List<TransformRequestItem> items, boolean reportFiltered, long deadlineNanos) {
        Ticket ticket = new Ticket(version);
        VersionProcess child;
        try {
            child = acquire(ticket, deadlineNanos);
        } catch (CannotStart e) {
            return failed(version, null, items, e.getMessage());
        }
        try {
            List<IsolatedCall.Answer> answers = new ArrayList<>(items.size());
            boolean filled = false;
            int offset = 0;
            for (List<TransformRequestItem> part : parts(items)) {
                IsolatedCall.Response response;
                try {
                    response = call(child, ticket, part, reportFiltered, deadlineNanos);
                } catch (Failure failure) { // this part and the rest of the request
                    response = failed(version, failure.child, items.subList(offset, items.size()), failure.cause);
                    for (IsolatedCall.Answer answer : response.answers()) {
                        answers.add(answer.shifted(offset));
                    }
                    return new IsolatedCall.Response(answers, filled);
                }
                for (IsolatedCall.Answer answer : response.answers()) {
                    answers.add(answer.shifted(offset));
                }
                filled |= response.filledTheHeap();
                offset += part.size();
            }
            return new IsolatedCall.Response(answers, filled);
        } finally {
            release(child);
        }
    }

    /** {@code items} in order, in parts of at most {@code max-call-bytes} of JSON (a larger item alone). */
    private List<List<TransformRequestItem>> parts(List<TransformRequestItem> items) {
        long cap = settings.maxCallBytes().toBytes();
        List<List<TransformRequestItem>> parts = new ArrayList<>();
        List<TransformRequestItem> part = new ArrayList<>();
        long bytes = 0;
        for (TransformRequestItem item : items) {
            long size = json.writeValueAsBytes(item).length;
            if (!part.isEmpty() && bytes + size > cap) {
                parts.add(part);
                part = new ArrayList<>();
                bytes = 0;
            }
            part.add(item);
            bytes += size;
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        return parts;
    }

    /**
     * One call of the version's process.
     *
     * @throws Failure when the process could not serve it (to be counted, or not)
     * @throws SandboxUnavailable when it timed out after waiting for a slot behind other versions: retry, not
     *     counted (the wait, not the process, used the request's time up)
     */
    private IsolatedCall.Response call(
            VersionProcess child,
            Ticket ticket,
            List<TransformRequestItem> items,
            boolean reportFiltered,
            long deadlineNanos) {
        metrics.counter("transformer.isolation.calls").increment();
        HttpResponse<String> response;
        try {
            child.awaitReady(deadlineNanos, settings.startTimeout());
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
            byte[] body = json.writeValueAsBytes(new IsolatedCall.Request(items, reportFiltered));
            response = child.post(IsolatedCall.PATH, body, Duration.ofMillis(left));
        } catch (SandboxUnavailable e) { // did not start, or did not answer in time
            if (ticket.waitedForSlot && child.alive()) {
                throw ranOutAfterWaiting(e.getMessage().replaceFirst(";\\s*retry$", ""));
            }
            throw new Failure(child, e.getMessage());
        }
        if (response == null) {
            throw new Failure(child, "it ended during the call (" + child.howItEnded() + ")");
        }
        return switch (response.statusCode()) {
            case 200 -> answered(child.version, json.readValue(response.body(), IsolatedCall.Response.class));
            case CustomTransformController.RETRY_LATER -> throw new CodeBackendUnavailable(response.body());
            // the child's own "retry" (its sandbox stopped the call: the deadline passed, it is overloaded) after
            // the call waited for a slot behind other versions: the wait used the time up, not the process
            case 503 ->
                throw ticket.waitedForSlot
                        ? ranOutAfterWaiting("its process answered 503: " + detail(response.body()))
                        : new Failure(null, "it answered 503: " + detail(response.body()));
            default -> throw new Failure(null, "it answered " + response.statusCode() + ": " + detail(response.body()));
        };
    }

    /** A call that waited for a slot behind other versions and then ran out of time: 503, not counted. */
    private SandboxUnavailable ranOutAfterWaiting(String cause) {
        metrics.counter("transformer.isolation.refused").increment();
        return new SandboxUnavailable("the call waited for a transformer process behind other transformations and"
                + " then ran out of time (" + cause + "); retry");
    }

    /** The version's process could not serve a call: {@code child} when it may have died, else null. */
    private static final class Failure extends RuntimeException {
        final transient @Nullable VersionProcess child;
        final String cause;

        Failure(@Nullable VersionProcess child, String cause) {
            super(cause, null, false, false);
            this.child = child;
            this.cause = cause;
        }
    }

    private IsolatedCall.Response answered(String version, IsolatedCall.Response response) {
        synchronized (this) {
            failuresInARow.remove(version);
        }
        if (response.filledTheHeap()) {
            metrics.counter("transformer.heap.filled", "outcome", "failed").increment();
            log.atWarn()
                    .addKeyValue("versionId", version)
                    .log("a transformation filled the heap of its own process: the events whose calls did failed");
        }
        return response;
    }

    private String detail(String body) {
        try {
            return json.readTree(body).path("detail").asString(body);
        } catch (RuntimeException notJson) { // not a problem document: the body as it is
            return body;
        }
    }

    /**
     * Waits (releasing the lock) until this request may go to the version's child, and returns that child, started
     * if need be: it goes when its version's child takes another call (fewer than {@code max-calls-per-process} in
     * flight, not draining), or starts the version's child in a free slot. Versions without a usable child take the
     * free slots in the order they began to wait for one (a version whose child drains begins when that child has
     * ended, so it comes after the one its slot was drained for). While versions wait for a slot and all are taken,
     * slots are made to come: an idle child (least recently used) ends at once; else the busy child that has held its
     * slot longest drains: it takes no more calls (its version's further calls wait) and ends after those in flight.
     * So a version that keeps its process busy, with any number of calls, cannot keep another struck version out for
     * longer than its calls in flight take, each bounded by its request's deadline.
     *
     * @throws CannotStart when the child's command cannot run (counted as a failure of the version's process)
     * @throws SandboxUnavailable when the request's deadline passes while it waits (retry; not a failure)
     */
    private synchronized VersionProcess acquire(Ticket me, long deadlineNanos) {
        waiting.addLast(me);
        try {
            while (true) {
                if (closed) {
                    throw new SandboxUnavailable("the transformer is stopping; retry");
                }
                VersionProcess child = admit(me);
                if (child != null) {
                    child.inFlight++;
                    child.lastUsedNanos = System.nanoTime();
                    return child;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
                if (left <= 0) {
                    metrics.counter("transformer.isolation.refused").increment();
                    throw new SandboxUnavailable("no transformer process for transformations that filled the heap"
                            + " was free before the request's deadline (" + settings.maxProcesses()
                            + " at most, shared in turn); retry");
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SandboxUnavailable("interrupted while waiting for a transformer process; retry");
                }
            }
        } finally {
            waiting.remove(me);
            notifyAll(); // the calls behind this one may go now
        }
    }

    /** Under the lock: the child {@code me} may use now, started if need be, or null (wait). */
    private @Nullable VersionProcess admit(Ticket me) {
        VersionProcess child = byVersion.get(me.version);
        if (child != null && !child.draining && (!child.alive() || child.startOverdue(settings.startTimeout()))) {
            byVersion.remove(me.version);
            end(child, child.alive() ? "it did not start in time" : "it died");
            child = null;
        }
        if (child != null) { // a draining one ends after its calls; then the version waits for a slot like anyone
            return !child.draining && child.inFlight < settings.maxCallsPerProcess() ? child : null;
        }
        if (me.slotTurn == 0) {
            me.slotTurn = ++slotTurns;
        }
        // the versions waiting for a slot, each at the turn of its earliest call that began waiting for one
        Map<String, Long> turns = new LinkedHashMap<>();
        for (Ticket ticket : waiting) {
            if (ticket.slotTurn != 0 && !byVersion.containsKey(ticket.version)) {
                turns.merge(ticket.version, ticket.slotTurn, Math::min);
            }
        }
        long mine = turns.get(me.version);
        int rank = (int) turns.values().stream().filter(turn -> turn <= mine).count();
        int free = settings.maxProcesses() - byVersion.size() - ending.size();
        if (free >= rank) {
            return start(me.version);
        }
        me.waitedForSlot = true;
        long draining = byVersion.values().stream().filter(c -> c.draining).count();
        if (Math.max(0, free) + ending.size() + draining < rank) {
            makeRoom();
        }
        return null;
    }

    /**
     * Under the lock, for a version waiting for a slot: ends the least recently used idle child, or else drains the
     * busy child that has held its slot longest.
     */
    private void makeRoom() {
        VersionProcess idle = null;
        VersionProcess oldest = null;
        for (VersionProcess child : byVersion.values()) {
            if (child.draining) {
                continue;
            }
            if (child.inFlight == 0) {
                if (idle == null || child.lastUsedNanos - idle.lastUsedNanos < 0) {
                    idle = child;
                }
            } else if (oldest == null || child.startedNanos - oldest.startedNanos < 0) {
                oldest = child;
            }
        }
        if (idle != null) {
            byVersion.remove(idle.version);
            end(idle, "its slot went to another struck transformation");
        } else if (oldest != null) {
            oldest.draining = true;
            log.atInfo()
                    .addKeyValue("versionId", oldest.version)
                    .addKeyValue("pid", oldest.pid())
                    .log("a transformation's own process ends after its calls in flight: another struck"
                            + " transformation waits for its slot");
        }
    }

    /** Under the lock: starts the version's child in a free slot. */
    private VersionProcess start(String version) {
        VersionProcess child;
        try {
            child = VersionProcess.start(version, command, settings, properties, environment, authorization);
        } catch (java.io.UncheckedIOException e) {
            log.atError().setCause(e).log("cannot start a transformer process for a struck transformation");
            throw new CannotStart("it could not be started (" + e.getCause().getMessage() + ")");
        }
        byVersion.put(version, child);
        metrics.counter("transformer.isolation.started").increment();
        log.atInfo()
                .addKeyValue("versionId", version)
                .addKeyValue("pid", child.pid())
                .addKeyValue("heap", settings.heap())
                .log("started a transformer process of its own for a transformation that filled the heap");
        return child;
    }

    private synchronized void release(VersionProcess child) {
        child.inFlight--;
        child.lastUsedNanos = System.nanoTime();
        if (child.draining && child.inFlight == 0 && byVersion.remove(child.version, child)) {
            end(child, "its slot went to a struck transformation that waited for one");
        }
        notifyAll(); // room in the child, or a slot coming
    }

    /** A request's call of a version's process, waiting for it (guarded by this). */
    private static final class Ticket {
        final String version;
        /** When it began waiting for a slot (a turn number; 0: not yet). */
        long slotTurn;
        /** It waited for a slot behind other versions: a timeout afterwards is not its process's doing. */
        boolean waitedForSlot;

        Ticket(String version) {
            this.version = version;
        }
    }

    /**
     * Counts a failure of the version's process (a dead {@code child}'s once for all its calls in flight; null: this
     * call's own failure): 503 (retry) below {@link #FAILURES_TO_FAIL} in a row, the call's events failed from there
     * on, until a call is answered.
     */
    private IsolatedCall.Response failed(
            String version, @Nullable VersionProcess child, List<TransformRequestItem> items, String cause) {
        cause = cause.replaceFirst(";\\s*retry$", "");
        int failures;
        synchronized (this) {
            boolean dead = child != null && !child.alive();
            if (dead && byVersion.remove(version, child)) {
                end(child, "it died"); // through stop(): its temp dir and port file go too
                notifyAll();
            }
            failures = dead && child.failureCounted
                    ? failuresInARow.getOrDefault(version, 1)
                    : failuresInARow.merge(version, 1, Integer::sum);
            if (dead) {
                child.failureCounted = true;
            }
            while (failuresInARow.size() > 1000) {
                failuresInARow.remove(failuresInARow.keySet().iterator().next());
            }
        }
        metrics.counter("transformer.isolation.failed").increment();
        log.atWarn()
                .addKeyValue("versionId", version)
                .addKeyValue("failuresInARow", failures)
                .log("the transformer process of a transformation could not serve a call: {}", cause);
        if (failures < FAILURES_TO_FAIL) {
            throw new SandboxUnavailable(
                    "the transformer process for this transformation could not serve the call (" + cause + "); retry");
        }
        return IsolatedCall.Response.failing(
                items,
                "The transformation's own process could not serve it: " + cause + ", " + failures
                        + " times in a row, so its events fail instead of holding back the batch they share with"
                        + " others.");
    }

    private void endIdle() {
        List<VersionProcess> idle = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            Iterator<VersionProcess> all = byVersion.values().iterator();
            while (all.hasNext()) {
                VersionProcess child = all.next();
                if (child.inFlight == 0
                        && now - child.lastUsedNanos > settings.idleTimeout().toNanos()) {
                    all.remove();
                    idle.add(child);
                }
            }
            idle.forEach(child -> end(child, "idle")); // in the same hold of the lock: its slot stays taken
        }
    }

    private void end(VersionProcess child, String why) {
        log.atInfo()
                .addKeyValue("versionId", child.version)
                .addKeyValue("pid", child.pid())
                .log("ending a transformation's own transformer process: {}", why);
        ending.add(child);
        Thread.ofVirtual()
                .start(
                        () -> { // SIGTERM, SIGKILL after 5 s; its slot frees once it has exited
                            try {
                                child.stop();
                            } finally {
                                synchronized (this) {
                                    ending.remove(child);
                                    notifyAll();
                                }
                            }
                        });
    }

    /** How long a struck version stays in its own process with no memory trouble there before it returns. */
    java.time.Duration probation() {
        return settings.probation();
    }

    /** Children alive now, serving or ending. */
    public synchronized int running() {
        return byVersion.size() + ending.size();
    }

    /** The temp dir of the version's child, if it has one (tests: it is removed once the child has ended). */
    synchronized java.util.Optional<java.nio.file.Path> directory(String version) {
        VersionProcess child = byVersion.get(version);
        return java.util.Optional.ofNullable(child).map(VersionProcess::directory);
    }

    /** The pid of the version's child, if it has one (tests kill it). */
    synchronized OptionalLong pid(String version) {
        VersionProcess child = byVersion.get(version);
        return child == null ? OptionalLong.empty() : OptionalLong.of(child.pid());
    }

    /** Calls of the version in flight in its process (tests kill a child during one). */
    synchronized int callsInFlight(String version) {
        VersionProcess child = byVersion.get(version);
        return child == null ? 0 : child.inFlight;
    }

    /** Calls waiting for a process (tests). */
    synchronized int waitingCalls() {
        return waiting.size();
    }

    /** Closes our end of the child's stdin, as this process's death would (tests: the child must exit). */
    synchronized void orphan(String version) {
        VersionProcess child = byVersion.get(version);
        if (child != null) {
            child.closeStdin();
        }
    }

    /** A child's command could not run: a failure of the version's process. */
    private static final class CannotStart extends RuntimeException {
        CannotStart(String message) {
            super(message, null, false, false);
        }
    }

    /** Ends every child and waits for them (the service stops). */
    @Override
    public void close() {
        idleCheck.shutdownNow();
        List<VersionProcess> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(byVersion.values());
            byVersion.clear();
            notifyAll(); // calls waiting for a process give up
        }
        all.forEach(VersionProcess::stop);
    }
}
