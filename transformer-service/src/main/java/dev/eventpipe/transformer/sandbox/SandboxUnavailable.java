package dev.eventpipe.transformer.sandbox;

/**
 * The sandbox, not the events, stopped a request: the service ran short of memory, the request's deadline passed,
 * or the engine failed. The whole request is answered 503 so the caller retries it; no event is failed for it.
 */
public final class SandboxUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SandboxUnavailable(String message) {
        super(message, null, false, false);
    }
}
