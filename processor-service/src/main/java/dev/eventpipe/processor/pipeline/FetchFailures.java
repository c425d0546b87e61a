package dev.eventpipe.processor.pipeline;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The fetch thread's failures in a row (review 1100 P3-4). A failure that comes back at every fetch (a database
 * error that repeats) stops the whole replica's pipeline while both loop threads live on; it used to do so
 * silently, one failed fetch per {@code idle-sleep}.
 * Now each failure is counted ({@code processor.fetch.failures{step=fetch}}; the gauge {@code processor.fetch.failing}
 * is the run), logged at the 1st, 2nd, 4th, 8th, ... failure of a run with what was fetched and the error, the
 * fetch backs off, and from the {@value #STALLED_AFTER}rd failure in a row {@code /health} says so. It is never a
 * reason to abort a job: a database error is not the job's fault. The fetch thread writes; any thread reads.
 */
final class FetchFailures {
    /** Failures in a row from which the fetch is reported failing: one or two are an error of the moment. */
    static final int STALLED_AFTER = 3;

    private static final Logger log = LoggerFactory.getLogger(ProcessingLoop.class);

    private final PipelineMetrics metrics;
    private final AtomicInteger run = new AtomicInteger();
    private volatile @Nullable String lastError;

    FetchFailures(PipelineMetrics metrics) {
        this.metrics = metrics;
        metrics.fetchFailing(run::get);
    }

    /**
     * A failed fetch, on {@code partitions} and {@code jobs} (from where it read); {@code message} says what happens
     * next.
     */
    void failed(String message, Throwable error, Set<Integer> partitions, String jobs) {
        int failures = run.incrementAndGet();
        lastError = summary(error);
        metrics.fetchFailed();
        if (Integer.bitCount(failures) != 1) return; // the 1st, 2nd, 4th, 8th, ... of a run
        log.atLevel(error instanceof Error ? Level.ERROR : Level.WARN)
                .setCause(error)
                .addKeyValue("failuresInARow", failures)
                .addKeyValue("partitions", partitions)
                .addKeyValue("jobs", jobs)
                .log(message);
    }

    /** A fetch got through (jobs into the pipeline, or none to fetch): a run of failures ends. */
    void worked() {
        int failures = run.getAndSet(0);
        if (failures > 1) log.atInfo().addKeyValue("failuresInARow", failures).log("processor fetch works again");
    }

    /** The pause before the next fetch: {@code idle}, doubled at each failure of a run, up to {@code max}. */
    Duration pause(Duration idle, Duration max) {
        int failures = run.get();
        if (failures <= 1) return idle;
        Duration pause = idle.multipliedBy(1L << Math.min(failures - 1, 20));
        return pause.compareTo(max) <= 0 ? pause : max(idle, max);
    }

    /**
     * While the fetch has failed {@value #STALLED_AFTER} times or more in a row: how many and the last error, as its
     * class and SQLSTATE (a message may quote a job's data, and {@code /health} answers anyone; the log has it all).
     */
    Optional<String> stalled() {
        int failures = run.get();
        String error = lastError;
        if (failures < STALLED_AFTER || error == null) return Optional.empty();
        return Optional.of(failures + " fetches in a row failed, the last with " + error);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String summary(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause())
            if (t instanceof SQLException sql && sql.getSQLState() != null)
                return error.getClass().getName() + " [SQLSTATE " + sql.getSQLState() + "]";
        return error.getClass().getName();
    }
}
