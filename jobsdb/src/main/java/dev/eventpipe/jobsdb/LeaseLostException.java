package dev.eventpipe.jobsdb;

import java.util.Set;

/** A replica tried to commit work for partitions it no longer holds; the transaction must roll back. */
public class LeaseLostException extends RuntimeException {
    private final Set<Integer> partitions;

    public LeaseLostException(String group, Set<Integer> partitions) {
        super("lease lost for " + group + " partitions " + partitions);
        this.partitions = Set.copyOf(partitions);
    }

    /** The partitions the database no longer shows leased to this replica (the others of the work are). */
    public Set<Integer> partitions() {
        return partitions;
    }
}
