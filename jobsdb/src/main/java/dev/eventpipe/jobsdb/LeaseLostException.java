package dev.eventpipe.jobsdb;

import java.util.Set;

/** A replica tried to commit work for partitions it no longer holds; the transaction must roll back. */
public class LeaseLostException extends RuntimeException {
    public LeaseLostException(String group, Set<Integer> partitions) {
        super("lease lost for " + group + " partitions " + partitions);
    }
}
