package dev.eventpipe.processor.partition;

import dev.eventpipe.jobsdb.CrashRecovery;
import dev.eventpipe.jobsdb.PartitionLeases;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.jobsdb.UserPartition;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reacts to lease changes. On a gain, before any work on the partitions, gw jobs a previous owner left
 * {@code executing} become unprocessed again (RudderStack's processor crash recovery; this processor writes no
 * such rows any more, a version before 2026-12-01 did), and the generation moves so the loop reads again from job
 * id 0 (once its batches in flight are done). On a loss, the partitions' loss counters move: a batch fetched before
 * the loss is fenced at store time even if this replica got the partition back meanwhile (another replica may
 * have processed the same jobs in between).
 */
public final class LeaseEvents implements PartitionLeases.Listener {
    private static final Logger log = LoggerFactory.getLogger(LeaseEvents.class);

    private final CrashRecovery recovery;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLongArray losses = new AtomicLongArray(UserPartition.COUNT);

    public LeaseEvents(CrashRecovery recovery) {
        this.recovery = recovery;
    }

    @Override
    public void acquired(Set<Integer> partitions) {
        int reset = resetWithRetry(partitions);
        generation.incrementAndGet();
        log.atInfo()
                .addKeyValue("partitions", partitions.size())
                .addKeyValue("jobsReset", reset)
                .log("gw partitions acquired");
    }

    private int resetWithRetry(Set<Integer> partitions) {
        for (int attempt = 1; ; attempt++) {
            try {
                return recovery.resetExecuting(Queue.GW, partitions);
            } catch (RuntimeException e) {
                if (attempt == 3) throw e;
                log.atWarn().setCause(e).log("crash recovery of acquired partitions failed; retrying");
            }
        }
    }

    @Override
    public void lost(Set<Integer> partitions) {
        for (int p : partitions) losses.incrementAndGet(p);
    }

    /** Moves whenever partitions are gained; on a change the loop restarts its cursor, once nothing is in flight. */
    public long generation() {
        return generation.get();
    }

    /** The loss counters of these partitions now. */
    public Map<Integer, Long> lossMarks(Set<Integer> partitions) {
        Map<Integer, Long> marks = new HashMap<>();
        for (int p : partitions) marks.put(p, losses.get(p));
        return marks;
    }

    /** True when none of these partitions was lost since the marks were taken. */
    public boolean unchangedSince(Map<Integer, Long> marks) {
        for (Map.Entry<Integer, Long> e : marks.entrySet()) if (losses.get(e.getKey()) != e.getValue()) return false;
        return true;
    }
}
