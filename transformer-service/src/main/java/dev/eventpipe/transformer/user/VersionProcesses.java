package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.contract.TransformRequestItem;
import dev.eventpipe.transformer.contract.TransformResponseItem;
import dev.eventpipe.transformer.sandbox.SandboxProperties;
import dev.eventpipe.transformer.sandbox.SandboxUnavailable;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * The child JVMs of struck versions, one per version, at most {@code max-processes}. A version's call takes its
 * child (started if it has none, or if its child died), or, when all are taken, the least recently used child with
 * no call in flight is ended for it; if every child has a call in flight, the request is answered 503 (retry),
 * never failed. A child with no call for {@code idle-timeout} ends. {@link #close} ends them all; a child whose
 * parent ends without closing exits by itself (its stdin closes).
 *
 * <p>A child that dies during a call (killed, crashed) answers that call 503 and is started again on the next one:
 * one death says little (an operator's kill, the kernel's out-of-memory killer choosing the child for the
 * container's total). Only after {@link #DEATHS_TO_FAIL} deaths in a row while running the version, with no
 * answered call between, are the events of the call in flight failed: the child ran nothing else, so its death is
 * the version's doing, and answering 503 for ever would hold every tenant's events back. (Just over 300 lines: the
 * slots, the deaths and the idle end are one lock's state, kept in one place.)
 */
public final class VersionProcesses implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VersionProcesses.class);
    static final int DEATHS_TO_FAIL = 3;

    private final IsolationProperties settings;
    private final ChildCommand command;
    private final Map<String, String> properties;
    private final Map<String, String> environment;
    private final String authorization;
    private final JsonMapper json;
    private final MeterRegistry metrics;
    private final Map<String, VersionProcess> byVersion = new LinkedHashMap<>(16, 0.75f, true); // guarded by this
    private final Map<String, Integer> deathsInARow = new LinkedHashMap<>(); // guarded by this
    private final ScheduledExecutorService idleCheck;

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
     * Runs {@code items} (all of {@code version}) in the version's own process. Answers' indexes are positions in
     * {@code items}.
     *
     * @throws SandboxUnavailable when no process could run them now (all busy, start failed, died): retry
     */
    IsolatedCall.Response transform(
            String version, List<TransformRequestItem> items, boolean reportFiltered, long deadlineNanos) {
        VersionProcess child = acquire(version);
        try {
            child.awaitReady(deadlineNanos, settings.startTimeout());
            Duration left = Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
            byte[] body = json.writeValueAsBytes(new IsolatedCall.Request(items, reportFiltered));
            HttpResponse<String> response = child.post(IsolatedCall.PATH, body, left);
            if (response == null) {
                return died(child, items);
            }
            forgiveDeaths(version);
            return switch (response.statusCode()) {
                case 200 -> answered(version, json.readValue(response.body(), IsolatedCall.Response.class));
                case CustomTransformController.RETRY_LATER -> throw new CodeBackendUnavailable(response.body());
                default ->
                    throw new SandboxUnavailable("the transformer process for this transformation answered "
                            + response.statusCode() + ": " + detail(response.body()));
            };
        } finally {
            release(child);
        }
    }

    private IsolatedCall.Response answered(String version, IsolatedCall.Response response) {
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

    private synchronized VersionProcess acquire(String version) {
        VersionProcess child = byVersion.get(version);
        if (child != null && (!child.alive() || child.startOverdue(settings.startTimeout()))) {
            byVersion.remove(version);
            end(child, child.alive() ? "it did not start in time" : "it died");
            child = null;
        }
        if (child == null) {
            if (byVersion.size() >= settings.maxProcesses()) {
                endLeastRecentlyUsedIdle();
            }
            try {
                child = VersionProcess.start(version, command, settings, properties, environment, authorization);
            } catch (java.io.UncheckedIOException e) {
                log.atError().setCause(e).log("cannot start a transformer process for a struck transformation");
                throw new SandboxUnavailable("cannot start a transformer process for this transformation; retry");
            }
            byVersion.put(version, child);
            metrics.counter("transformer.isolation.started").increment();
            log.atInfo()
                    .addKeyValue("versionId", version)
                    .addKeyValue("pid", child.pid())
                    .addKeyValue("heap", settings.heap())
                    .log("started a transformer process of its own for a transformation that filled the heap");
        }
        child.inFlight++;
        child.lastUsedNanos = System.nanoTime();
        return child;
    }

    /** Under the lock, with every slot taken: ends the least recently used child with no call in flight. */
    private void endLeastRecentlyUsedIdle() {
        Iterator<VersionProcess> oldestFirst = byVersion.values().iterator();
        while (oldestFirst.hasNext()) {
            VersionProcess child = oldestFirst.next();
            if (child.inFlight == 0) {
                oldestFirst.remove();
                end(child, "its slot went to another struck transformation");
                return;
            }
        }
        metrics.counter("transformer.isolation.refused").increment();
        throw new SandboxUnavailable("all " + settings.maxProcesses() + " transformer processes for transformations"
                + " that filled the heap are busy; retry");
    }

    private synchronized void release(VersionProcess child) {
        child.inFlight--;
        child.lastUsedNanos = System.nanoTime();
    }

    private IsolatedCall.Response died(VersionProcess child, List<TransformRequestItem> items) {
        int deaths;
        synchronized (this) {
            // calls in flight together see one death once
            deaths = child.deathCounted
                    ? deathsInARow.getOrDefault(child.version, 1)
                    : deathsInARow.merge(child.version, 1, Integer::sum);
            child.deathCounted = true;
            byVersion.remove(child.version, child);
            while (deathsInARow.size() > 1000) {
                deathsInARow.remove(deathsInARow.keySet().iterator().next());
            }
        }
        metrics.counter("transformer.isolation.died").increment();
        log.atWarn()
                .addKeyValue("versionId", child.version)
                .addKeyValue("pid", child.pid())
                .addKeyValue("deathsInARow", deaths)
                .log("the transformer process of a transformation died during a call");
        if (deaths < DEATHS_TO_FAIL) {
            throw new SandboxUnavailable(
                    "the transformer process for this transformation ended during the call;" + " retry");
        }
        String reason = "This transformation's own transformer process died in " + deaths + " requests in a row"
                + " while running it (it runs nothing else), so its events fail instead of being retried.";
        List<IsolatedCall.Answer> failed = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            failed.add(IsolatedCall.Answer.answering(new Placed(
                    i, TransformResponseItem.failure(reason, items.get(i).metadata()))));
        }
        return new IsolatedCall.Response(failed, true);
    }

    private synchronized void forgiveDeaths(String version) {
        deathsInARow.remove(version);
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
        }
        idle.forEach(child -> end(child, "idle"));
    }

    private void end(VersionProcess child, String why) {
        log.atInfo()
                .addKeyValue("versionId", child.version)
                .addKeyValue("pid", child.pid())
                .log("ending a transformation's own transformer process: {}", why);
        Thread.ofVirtual().start(child::stop); // SIGTERM, SIGKILL after 5 s: nobody waits for it
    }

    /** Children running now. */
    public synchronized int running() {
        return byVersion.size();
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

    /** Closes our end of the child's stdin, as this process's death would (tests: the child must exit). */
    synchronized void orphan(String version) {
        VersionProcess child = byVersion.get(version);
        if (child != null) {
            child.closeStdin();
        }
    }

    /** Ends every child and waits for them (the service stops). */
    @Override
    public void close() {
        idleCheck.shutdownNow();
        List<VersionProcess> all;
        synchronized (this) {
            all = new ArrayList<>(byVersion.values());
            byVersion.clear();
        }
        all.forEach(VersionProcess::stop);
    }
}
