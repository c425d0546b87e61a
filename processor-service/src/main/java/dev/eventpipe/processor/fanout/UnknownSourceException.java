package dev.eventpipe.processor.fanout;

/** A job names a source this processor's workspace config does not have (yet); the batch is retried. */
public class UnknownSourceException extends RuntimeException {
    public UnknownSourceException(String sourceId) {
        super("source " + sourceId + " is not in the workspace config yet");
    }
}
