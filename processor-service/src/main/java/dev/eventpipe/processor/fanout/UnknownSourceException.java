package dev.eventpipe.processor.fanout;

/** A job names a source or destination this processor's workspace config does not have (yet); the batch is retried. */
public class UnknownSourceException extends RuntimeException {
    public UnknownSourceException(String message) {
        super(message);
    }
}
