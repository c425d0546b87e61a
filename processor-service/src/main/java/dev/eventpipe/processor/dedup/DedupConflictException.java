package dev.eventpipe.processor.dedup;

/**
 * Another replica recorded one of this batch's messageIds between the dedup check and the store (possible only
 * for events of different users sharing an id). The transaction rolls back and the batch is processed again, when
 * the dedup check sees the id.
 */
public class DedupConflictException extends RuntimeException {
    public DedupConflictException(int taken) {
        super(taken + " messageId(s) were recorded by another replica meanwhile");
    }
}
