package dev.eventpipe.processor.transform;

/**
 * The transformer could not answer this batch (down, 5xx, 408, 429, 809 "config backend down", a bad answer).
 * Nothing is dropped: the batch stays in memory, uncommitted, and is retried after a backoff.
 */
public class TransformerUnavailableException extends RuntimeException {
    public TransformerUnavailableException(String message) {
        super(message);
    }

    public TransformerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
