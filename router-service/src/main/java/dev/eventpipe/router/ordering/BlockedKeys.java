package dev.eventpipe.router.ordering;

import dev.eventpipe.jobsdb.JobsDb;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The stored half of the barrier: for each user (and destination) with unresolved earlier jobs, the first of them,
 * {@code failed} or {@code waiting} ({@link JobsDb#firstUnresolved}). The pickup holds a user's later jobs unless it
 * has seen that first job in the same pickup: a failed job in backoff is never returned by the queue's fetch, and a
 * waiting one may lie beyond the fetched pages, yet either must stay ahead of its user's later jobs.
 */
public final class BlockedKeys {

    /**
     * The first unresolved job of a key; {@code inBackoff} when it is a failed job whose retry time is ahead;
     * {@code failed} when it is failed (else waiting); {@code recovered} when it failed because a process stopped
     * while it was executing (nobody answered it).
     */
    public record Pending(long jobId, boolean inBackoff, boolean failed, boolean recovered) {}

    private final JobsDb rt;

    public BlockedKeys(JobsDb rt) {
        this.rt = rt;
    }

    public Map<OrderKey, Pending> firstPending(Set<Integer> partitions, Instant now) {
        Map<OrderKey, Pending> pending = new HashMap<>();
        for (JobsDb.FirstUnresolved f : rt.firstUnresolved(partitions, now))
            pending.put(
                    new OrderKey(f.workspaceId(), f.destinationId(), f.userId()),
                    new Pending(f.jobId(), f.inBackoff(), f.failed(), f.recovered()));
        return pending;
    }
}
