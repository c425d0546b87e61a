package dev.eventpipe.transformer.user;

/** Transformation code could not be fetched for a reason that may pass: the caller answers HTTP 809. */
public final class CodeBackendUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CodeBackendUnavailable(String message) {
        super(message, null, false, false);
    }
}
