package dev.eventpipe.transformer.sandbox;

/**
 * A call into a script that did not return: the script threw, or the sandbox stopped it. The message is meant for
 * the user who wrote the script and becomes the {@code error} of the events of that call.
 */
public final class ScriptFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the call ended. */
    public enum Kind {
        /** The script threw, or did not compile. */
        ERROR,
        /** Wall-clock limit reached. */
        TIMEOUT,
        /** Statement limit reached. */
        STATEMENT_LIMIT,
        /** Stopped by the heap guard, or the engine ran out of memory. */
        MEMORY,
        /** The request's deadline passed. */
        DEADLINE,
        /** Anything else (a bug of ours or of the engine). */
        INTERNAL
    }

    private final Kind kind;
    private final boolean filledTheHeap;

    public ScriptFailure(Kind kind, String message) {
        this(kind, message, false);
    }

    /**
     * @param filledTheHeap a {@code MEMORY} stop of a call that held what filled the heap (stopping it brought the
     *     heap below the mark, see {@code Watchdog}), or an engine out-of-memory failure of a call that itself
     *     allocated at least {@code heap-guard-blame-fraction} of the heap: its code filled the heap, not someone
     *     else's
     */
    public ScriptFailure(Kind kind, String message, boolean filledTheHeap) {
        super(message, null, false, false);
        this.kind = kind;
        this.filledTheHeap = kind == Kind.MEMORY && filledTheHeap;
    }

    /** A memory stop that is this call's own doing (see the constructor); counted against its version. */
    public boolean filledTheHeap() {
        return filledTheHeap;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Stops that say nothing about the event that was running (the service ran short of memory or time, or the
     * engine failed): the whole request is answered "retry later" instead of failing innocent events.
     */
    public boolean retryable() {
        return kind == Kind.MEMORY || kind == Kind.DEADLINE || kind == Kind.INTERNAL;
    }
}
