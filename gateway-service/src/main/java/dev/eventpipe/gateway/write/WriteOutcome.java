package dev.eventpipe.gateway.write;

/** What happened to one request's jobs. */
public sealed interface WriteOutcome {
    /** Committed: the jobs are durable. */
    record Stored() implements WriteOutcome {}

    /** Not stored: the commit failed (the database was unavailable or failed); retrying later may succeed. */
    record Failed() implements WriteOutcome {}

    /**
     * Not stored: the database refused this request's own data when it was written alone (the reason is for the
     * log, never for the client); retrying the same request cannot succeed.
     */
    record DataRefused(String reason) implements WriteOutcome {}

    /** Not stored: refused before any write (queue full, database failing, shutting down). */
    record Refused() implements WriteOutcome {}

    /** Not stored: nothing had been written when the request stopped waiting. */
    record TimedOut() implements WriteOutcome {}
}
