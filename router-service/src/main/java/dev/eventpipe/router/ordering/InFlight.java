package dev.eventpipe.router.ordering;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Keys with jobs handed to a worker whose statuses are not yet committed. The pickup does not hand over more jobs
 * of such a key: a job handed over earlier may still come back ({@code failed} or {@code waiting}) once its status
 * is written, and a later job queued meanwhile would overtake it. So one user's jobs for a destination go out in
 * groups, each group in job id order through one worker, the next group only once the stored statuses of the
 * previous one tell the whole truth. A pickup with nothing to do waits for the next commit ({@link #awaitCommit}).
 */
@Component
public class InFlight {
    // per key: how many jobs are handed over and not settled, and the highest of their ids
    private final ConcurrentHashMap<OrderKey, Held> jobs = new ConcurrentHashMap<>();
    // jobs whose status the database refused in every form (StatusCommitter): still executing, holding their key
    private final ConcurrentHashMap<Long, OrderKey> stuck = new ConcurrentHashMap<>();
    // a permit per commit since the pickup last waited
    private final Semaphore commits = new Semaphore(0);

    public boolean has(OrderKey key) {
        return jobs.containsKey(key) || stuck.containsValue(key);
    }

    private record Held(int count, long highest) {}

    /** Job {@code jobId} of {@code key} is handed to a worker (its {@code executing} status is committed). */
    public void handedOver(OrderKey key, long jobId) {
        jobs.merge(key, new Held(1, jobId), (a, b) -> new Held(a.count() + 1, Math.max(a.highest(), b.highest())));
    }

    /**
     * The keys held here, of these partitions, each with the highest id of its jobs handed over (or {@link #stuck})
     * and not settled: a pickup parks such a key there (review P3-2), since none of its jobs without a status lies
     * at or below it. Each job handed over has its {@code executing} status committed first and keeps a status
     * whatever happens to it, and a key's jobs are handed over in job id order, each group only once the one before
     * settled, with every job of the key below the group's highest handed over, drained or given a status before it
     * (the argument in full where the pickup parks a user it hands jobs to, {@code Pickup.consider}). Until
     * 2026-11-30 this was the lowest such id (issue 16: once those jobs were delivered, the user's catch-up read
     * walked them again before it reached its new ones).
     */
    public Map<OrderKey, Long> highestHeld(Set<Integer> partitions) {
        Map<OrderKey, Long> highest = new HashMap<>();
        jobs.forEach((key, held) -> {
            if (partitions.contains(key.partition())) highest.merge(key, held.highest(), Math::max);
        });
        stuck.forEach((jobId, key) -> {
            if (partitions.contains(key.partition())) highest.merge(key, jobId, Math::max);
        });
        return highest;
    }

    /**
     * The job's status is committed: its user's next jobs may go, so a pickup waiting in {@link #awaitCommit} need
     * not wait for its poll interval.
     */
    public void committed(OrderKey key) {
        settled(key);
        commits.release();
    }

    /** The job's status will never be committed here: its partition moved away, its new owner recovers it. */
    public void dropped(OrderKey key) {
        settled(key);
    }

    /**
     * The job's status can never be written (the database refused it in every form): it stays {@code executing}, and
     * its key stays held here, so its user's later jobs do not overtake it. A handover does not wait for it (it
     * would never settle): once its partition goes, the next owner recovers the job before any later one of its
     * user ({@link #forgetPartitions}).
     */
    public void stuck(OrderKey key, long jobId) {
        stuck.put(jobId, key);
        settled(key);
    }

    /** The ids of the {@link #stuck} jobs of partitions still here. */
    public Set<Long> stuckJobs() {
        return Set.copyOf(stuck.keySet());
    }

    private void settled(OrderKey key) {
        jobs.computeIfPresent(key, (k, held) -> held.count() <= 1 ? null : new Held(held.count() - 1, held.highest()));
    }

    /** Waits up to {@code atMost} for a {@link #committed} job (for a pickup with nothing to do). */
    public void awaitCommit(Duration atMost) {
        try {
            if (commits.tryAcquire(atMost.toNanos(), TimeUnit.NANOSECONDS)) commits.drainPermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True while jobs of these partitions are handed over and not settled ({@link #stuck} ones not counted). */
    public boolean hasAny(Set<Integer> partitions) {
        return jobs.keySet().stream().anyMatch(k -> partitions.contains(k.partition()));
    }

    public void forgetPartitions(Set<Integer> partitions) {
        jobs.keySet().removeIf(k -> partitions.contains(k.partition()));
        stuck.values().removeIf(k -> partitions.contains(k.partition()));
    }

    public int size() {
        return jobs.size();
    }
}
