package dev.eventpipe.gateway.write;

/** What happened to one request's jobs. */
public sealed interface WriteOutcome {
    /** Committed: the jobs are durable. */
    record Stored() implements WriteOutcome {}

    /** Not stored: the commit failed (the text is the database's error). */
    record Failed(String error) implements WriteOutcome {}

    /** Not stored: refused before any write (queue full, database failing, shutting down). */
    record Refused() implements WriteOutcome {}

    /** Not stored: nothing had been written when the request stopped waiting. */
    record TimedOut() implements WriteOutcome {}
}
