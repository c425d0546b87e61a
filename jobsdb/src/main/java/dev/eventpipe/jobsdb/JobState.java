package dev.eventpipe.jobsdb;

import java.util.Locale;

/**
 * The states of a job, as RudderStack names them. A job with no status row is unprocessed. Terminal states are
 * final: a job that reached one is never picked again, and its dataset can be dropped once all its jobs are terminal.
 */
public enum JobState {
    EXECUTING(false),
    FAILED(false),
    WAITING(false),
    SUCCEEDED(true),
    ABORTED(true),
    FILTERED(true);

    private final boolean terminal;

    JobState(boolean terminal) {
        this.terminal = terminal;
    }

    public boolean terminal() {
        return terminal;
    }

    /** The value stored in {@code job_state}. */
    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobState fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
