package dev.eventpipe.router.ordering;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Keys with jobs handed to a worker whose statuses are not yet committed. The pickup does not hand over more jobs
 * of such a key: a job handed over earlier may still come back ({@code failed} or {@code waiting}) once its status
 * is written, and a later job queued meanwhile would overtake it. So one user's jobs for a destination go out in
 * groups, each group in job id order through one worker, the next group only once the stored statuses of the
 * previous one tell the whole truth.
 */
@Component
public class InFlight {
    private final ConcurrentHashMap<OrderKey, Integer> jobs = new ConcurrentHashMap<>();

    public boolean has(OrderKey key) {
        return jobs.containsKey(key);
    }

    public void handedOver(OrderKey key) {
        jobs.merge(key, 1, Integer::sum);
    }

    /** The job's status is committed (or will never be, because its partition moved away). */
    public void settled(OrderKey key) {
        jobs.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** True while jobs of these partitions are handed over and not settled. */
    public boolean hasAny(Set<Integer> partitions) {
        return jobs.keySet().stream().anyMatch(k -> partitions.contains(k.partition()));
    }

    public void forgetPartitions(Set<Integer> partitions) {
        jobs.keySet().removeIf(k -> partitions.contains(k.partition()));
    }

    public int size() {
        return jobs.size();
    }
}
