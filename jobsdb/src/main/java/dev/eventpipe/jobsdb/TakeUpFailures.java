package dev.eventpipe.jobsdb;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The failed take-ups of one replica's {@link PartitionLeases}, partition by partition (review 0805 P3-4: one
 * counter for the replica made a partition pay for failures of others that had since gone another way). A partition
 * whose take-up failed {@link PartitionLeases#MAX_FAILED_TAKE_UPS} rounds in a row, counted while it stays gained, is
 * released and then rests for a time (not a count of rounds, which come every 200 ms while the membership settles):
 * this replica gives it back at once when it claims it, so another may try. Times are {@link System#nanoTime()}
 * values, passed in. Used by the lease thread only.
 */
final class TakeUpFailures {
    private final long restNanos;
    private final Map<Integer, Integer> failedRounds = new HashMap<>();
    private final Map<Integer, Long> restingUntil = new HashMap<>();

    /** {@code rest}: how long a released partition rests. */
    TakeUpFailures(Duration rest) {
        this.restNanos = rest.toNanos();
    }

    boolean resting(int partition, long now) {
        Long until = restingUntil.get(partition);
        if (until == null) return false;
        if (now - until < 0) return true;
        restingUntil.remove(partition);
        return false;
    }

    /**
     * The partitions gained this round, before they are taken up: a partition no longer among them went another way
     * (given back, lost, or taken up) and starts again from no failures.
     */
    void gaining(Set<Integer> gained) {
        failedRounds.keySet().retainAll(gained);
    }

    /**
     * The take-up of these partitions failed once more: returns those that failed {@link
     * PartitionLeases#MAX_FAILED_TAKE_UPS} rounds in a row, to be released; they rest from now on.
     */
    Set<Integer> failed(Set<Integer> partitions, long now) {
        Set<Integer> exhausted = new TreeSet<>();
        for (int p : partitions)
            if (failedRounds.merge(p, 1, Integer::sum) >= PartitionLeases.MAX_FAILED_TAKE_UPS) exhausted.add(p);
        for (int p : exhausted) {
            failedRounds.remove(p);
            restingUntil.put(p, now + restNanos);
        }
        return exhausted;
    }

    /** The most rounds in a row any of these partitions failed, for the log. */
    int rounds(Set<Integer> partitions) {
        return partitions.stream()
                .mapToInt(p -> failedRounds.getOrDefault(p, 0))
                .max()
                .orElse(0);
    }

    void succeeded(Set<Integer> partitions) {
        failedRounds.keySet().removeAll(partitions);
    }
}
