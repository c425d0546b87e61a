package dev.eventpipe.router.ordering;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The in-memory half of the ordering barrier (rs:router/internal/eventorder): which job, if any, currently blocks
 * a key because it failed and is not yet resolved. Workers consult it for jobs already handed to them, so a job
 * queued behind one that just failed is held ({@code waiting}) instead of overtaking it. Jobs still in the
 * database are held by the pickup from the stored statuses, so nothing here needs to survive a restart.
 *
 * <p>Thread-safety: workers of one key are one thread, but pickup and commit may release concurrently.
 */
@Component
public class Barrier {
    private final ConcurrentHashMap<OrderKey, Long> blockedBy = new ConcurrentHashMap<>();

    /** The job that blocks {@code jobId} of this key: an earlier failed job, if any. */
    public Optional<Long> blockerOf(OrderKey key, long jobId) {
        Long blocker = blockedBy.get(key);
        return blocker != null && blocker < jobId ? Optional.of(blocker) : Optional.empty();
    }

    /** Records that {@code jobId} failed and is to be retried; keeps the earliest blocker of a key. */
    public void failed(OrderKey key, long jobId) {
        blockedBy.merge(key, jobId, Math::min);
    }

    /** The job reached a terminal state (or was delivered): it no longer blocks its key. */
    public void resolved(OrderKey key, long jobId) {
        blockedBy.remove(key, jobId);
    }

    /** Forgets keys of partitions this replica no longer owns. */
    public void forgetPartitions(Set<Integer> partitions) {
        blockedBy.keySet().removeIf(k -> partitions.contains(k.partition()));
    }

    public int size() {
        return blockedBy.size();
    }
}
