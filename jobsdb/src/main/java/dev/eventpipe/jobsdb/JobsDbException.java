package dev.eventpipe.jobsdb;

/** PostgreSQL refused a queue operation; the caller's transaction is rolled back. */
public class JobsDbException extends RuntimeException {
    public JobsDbException(String message, Throwable cause) {
        super(message, cause);
    }
}
