package dev.eventpipe.processor.pipeline;

import dev.eventpipe.processor.dedup.DedupKey;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Set;

/**
 * The dedup ids this process committed lately, numbered by commit. A batch's dedup stage reads the committed ids
 * while the batches before it may still be uncommitted (they are in the pipeline); before its own commit the store
 * thread asks whether any id it accepted was committed after that read began. If so, the batch's stages run again
 * (the id is then seen as a duplicate). Without this, the store's claim catches such an id within the same hour
 * (the claim conflicts and the batch is re-run) but not across an hour boundary, where the claim goes into the
 * next hour's partition and succeeds: one replica would deliver an event twice. Ids older than the kept commits
 * count as overlapping (the batch is re-run: slower, never wrong).
 */
final class RecentClaims {
    private record Commit(long seq, Set<DedupKey> keys) {}

    private final int keep;
    private final ArrayDeque<Commit> commits = new ArrayDeque<>();
    private long seq;
    /** The number of the newest commit whose ids were forgotten to keep only {@code keep} commits. */
    private long forgottenThrough;

    RecentClaims(int keep) {
        if (keep <= 0) throw new IllegalArgumentException("keep must be positive");
        this.keep = keep;
    }

    /** The number of the last commit; take it before the dedup stage reads the database. */
    synchronized long mark() {
        return seq;
    }

    /** A commit that claimed these ids (called after it committed). */
    synchronized void committed(Collection<DedupKey> keys) {
        seq++;
        if (keys.isEmpty()) return;
        commits.addLast(new Commit(seq, Set.copyOf(keys)));
        while (commits.size() > keep) forgottenThrough = commits.removeFirst().seq();
    }

    /** True when one of {@code keys} was claimed by a commit after {@code mark}, or that cannot be ruled out. */
    synchronized boolean claimedSince(long mark, Collection<DedupKey> keys) {
        if (keys.isEmpty() || mark == seq) return false;
        if (forgottenThrough > mark) return true;
        for (Commit c : commits) {
            if (c.seq() <= mark) continue;
            for (DedupKey k : keys) if (c.keys().contains(k)) return true;
        }
        return false;
    }
}
