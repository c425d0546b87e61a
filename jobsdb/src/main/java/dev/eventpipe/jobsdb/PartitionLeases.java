package dev.eventpipe.jobsdb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Shares the {@link UserPartition#COUNT} user partitions among the live replicas of one group through lease rows
 * in PostgreSQL. Every {@code ttl / 3} a replica heartbeats its membership, renews its leases, takes free or expired partitions up to its fair
 * share ({@code ceil(COUNT / live replicas)}) and gives back what it holds above that, so replicas that join get
 * work and partitions of a replica that died move after its leases expire.
 *
 * <p>While the group's membership is settling (for one {@code ttl} after this replica started or saw the number
 * of live replicas change), the rounds come every {@code ttl / 30} (at least {@value #SETTLING_MIN_MILLIS} ms)
 * instead: a partition that another replica gives back is claimed within such a short round, not after up to a
 * third of the ttl during which nobody works on it.
 *
 * <p>Order of events on a move: the new holder is told ({@link Listener#acquired}) before it works on a partition,
 * so it can recover jobs the old holder left executing. Work that must not be committed by a replica that lost
 * its lease calls {@link #assertHeld} inside its transaction: that locks the lease rows until commit, so a
 * takeover never overlaps the commit. The lock is {@code FOR KEY SHARE}: a claim locks {@code FOR UPDATE SKIP
 * LOCKED}, so it passes over a row a commit holds (and takes it in a later round, once the commit ended and the
 * lease is still expired), and a round never waits for any replica's commits (review 0805 P2-1: a claim that
 * locked every row of the group waited for all of them, and every new commit queued behind it). The holder's own
 * renewal changes only {@code expires_at}, which {@code FOR KEY SHARE} lets through; every change of the holder
 * waits for it (V14). Each statement of a round waits at most a tenth of the ttl (at least a second) for a lock;
 * a round that times out fails, and the next one tries again.
 *
 * <p>Work that cannot be fenced by a transaction (an HTTP delivery) asks {@link #ownedFor} just before it starts:
 * a replica whose renewals fail stops working on its partitions before their leases can expire, without having to
 * reach the database. A partition given back to a replica that joined is released only after {@link
 * Listener#lost} has returned, i.e. after this replica's work on it has stopped.
 *
 * <p>Over 300 lines: a round, its statements and the locks they take are one protocol and read best together.
 */
public final class PartitionLeases implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionLeases.class);
    static final long SETTLING_MIN_MILLIS = 200;

    /**
     * Rounds in a row whose take-up of a gained partition failed for another reason than {@link NotReady} after which
     * it is released (review P3-7: a recovery that fails every round would keep it leased and unworked for good),
     * counted per partition while it stays gained. This replica then gives it back at once when it claims it, for as
     * long as that many regular rounds ({@code ttl / 3} each) take, so another may try.
     */
    public static final int MAX_FAILED_TAKE_UPS = 5;

    /**
     * Thrown by {@link Listener#acquired} when this replica's own earlier work on the partitions has not stopped yet:
     * they stay leased (released, another replica could start on them while that work goes on) however many rounds
     * it lasts. Any other exception is a failed take-up, and the partitions go after {@link #MAX_FAILED_TAKE_UPS}.
     */
    public static final class NotReady extends RuntimeException {
        public NotReady(String message) {
            super(message);
        }

        public NotReady(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Told about partitions gained (before work starts on them) and lost. */
    public interface Listener {
        /**
         * The partitions become {@link #owned()} when this returns. If it throws, they do not (no work starts on
         * them) but stay leased: the next round tells the listener again, or gives them back through {@link #lost}
         * if they are above the share. After {@link #MAX_FAILED_TAKE_UPS} rounds in a row failed with anything but
         * {@link NotReady}, they are released.
         */
        void acquired(Set<Integer> partitions);

        /**
         * The partitions are no longer {@link #owned()}; the listener stops the work on them before it returns.
         * Partitions given back (not expired) are released after that; if the listener throws, they are kept
         * (renewed but not worked on) and given back on a later round.
         */
        void lost(Set<Integer> partitions);
    }

    private static final String RENEW = """
            UPDATE jobsdb_partition_leases SET expires_at = now() + :ttl * interval '1 millisecond'
            WHERE owner_group = :group AND holder = :holder AND expires_at > now()
            RETURNING partition""";
    private static final String HEARTBEAT = """
            INSERT INTO jobsdb_lease_members (owner_group, holder, expires_at)
            VALUES (:group, :holder, now() + :ttl * interval '1 millisecond')
            ON CONFLICT (owner_group, holder) DO UPDATE SET expires_at = excluded.expires_at""";
    private static final String LIVE_MEMBERS = """
            SELECT count(*) FROM jobsdb_lease_members WHERE owner_group = :group AND expires_at > now()""";
    private static final String LEAVE =
            "DELETE FROM jobsdb_lease_members WHERE owner_group = :group AND holder = :holder";
    // Only rows that are expired and that nobody locks: a row a commit holds (FOR KEY SHARE, assertHeld) or another
    // round is claiming is passed over, never waited for. Rows not there yet (never leased, or released) are added by
    // CLAIM_MISSING, whose DO NOTHING locks no existing row; it adds them in partition order, so two rounds adding
    // the same rows at once wait for each other in one order only.
    private static final String CLAIM_EXPIRED = """
            UPDATE jobsdb_partition_leases SET holder = :holder, expires_at = now() + :ttl * interval '1 millisecond'
            WHERE owner_group = :group AND partition IN (
                SELECT partition FROM jobsdb_partition_leases
                WHERE owner_group = :group AND expires_at <= now()
                ORDER BY partition
                FOR UPDATE SKIP LOCKED)
            RETURNING partition""";
    private static final String CLAIM_MISSING = """
            INSERT INTO jobsdb_partition_leases (owner_group, partition, holder, expires_at)
            SELECT :group, p, :holder, now() + :ttl * interval '1 millisecond' FROM generate_series(0, :count - 1) p
            WHERE NOT EXISTS (SELECT 1 FROM jobsdb_partition_leases l WHERE l.owner_group = :group AND l.partition = p)
            ORDER BY p
            ON CONFLICT DO NOTHING
            RETURNING partition""";
    // a delete waits for the commits fenced on the rows (none, but for a close() while work goes on); locked in
    // partition order, as HELD locks, so a release and a commit never wait for each other both ways
    private static final String RELEASE = """
            DELETE FROM jobsdb_partition_leases
            WHERE owner_group = :group AND holder = :holder AND partition IN (
                SELECT partition FROM jobsdb_partition_leases
                WHERE owner_group = :group AND holder = :holder AND partition IN (:partitions)
                ORDER BY partition
                FOR UPDATE)""";
    private static final String HELD = """
            SELECT partition FROM jobsdb_partition_leases
            WHERE owner_group = :group AND holder = :holder AND expires_at > now() AND partition IN (:partitions)
            ORDER BY partition
            FOR KEY SHARE""";
    private static final String LOCK_WAIT = "SELECT set_config('lock_timeout', :millis, true)";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final String group;
    private final String holder;
    private final Duration ttl;
    private final Listener listener;
    private final ScheduledExecutorService loop;
    private volatile Set<Integer> owned = Set.of();
    // live replicas seen by the last round, and System.nanoTime() until which rounds are short (membership settling)
    private long lastMembers = -1;
    private long settlingUntil;
    // take-ups failed in a row (not NotReady) per partition, and partitions resting after a release for that
    private final TakeUpFailures failures;
    // System.nanoTime() when the last successful RENEW was sent: every lease it renewed lasts at least ttl after it
    private volatile long renewSentAt = System.nanoTime();

    public PartitionLeases(DataSource dataSource, String group, String holder, Duration ttl, Listener listener) {
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        // never part of a caller's transaction: the lock timeout is set for the round's statement only
        tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.group = group;
        this.holder = holder;
        this.ttl = ttl;
        this.listener = listener;
        this.failures = new TakeUpFailures(ttl.dividedBy(3).multipliedBy(MAX_FAILED_TAKE_UPS));
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leases-" + group);
            t.setDaemon(true);
            return t;
        });
    }

    /** Takes a first share now, then keeps leases current in the background. */
    public PartitionLeases start() {
        rebalanceNow();
        scheduleNextRound();
        return this;
    }

    private void scheduleNextRound() {
        try {
            loop.schedule(
                    () -> {
                        rebalanceQuietly();
                        scheduleNextRound();
                    },
                    nextRoundMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // close() has stopped the loop
        }
    }

    /** Milliseconds to the next round: a third of the ttl, or much less while the membership is settling. */
    synchronized long nextRoundMillis() {
        long every = Math.max(1, ttl.toMillis() / 3);
        if (System.nanoTime() - settlingUntil >= 0) return every;
        return Math.min(every, Math.max(SETTLING_MIN_MILLIS, ttl.toMillis() / 30));
    }

    /**
     * The partitions this replica holds, as of its last renewal. Work fenced by {@link #assertHeld} may use it; work
     * that cannot be fenced asks {@link #ownedFor}.
     */
    public Set<Integer> owned() {
        return owned;
    }

    /**
     * The partitions this replica may start a piece of work on that lasts up to {@code work}: {@link #owned()}, or
     * none unless its leases are certain to last that long (the local lease deadline, last renewal + ttl, is
     * further away than {@code work}), so no other replica can be working on them meanwhile.
     */
    public Set<Integer> ownedFor(Duration work) {
        long left = renewSentAt + ttl.toNanos() - System.nanoTime();
        return left > work.toNanos() ? owned : Set.of();
    }

    public String holder() {
        return holder;
    }

    /** One renew / claim / give-back step. */
    public synchronized void rebalanceNow() {
        long sent = System.nanoTime();
        Set<Integer> renewed = new HashSet<>(query(RENEW));
        Set<Integer> lost = new TreeSet<>(owned);
        lost.removeAll(renewed);
        Set<Integer> still = new TreeSet<>(owned);
        still.retainAll(renewed);
        // the new deadline holds for the renewed leases only: a send that reads it must not see the others as
        // owned, so owned shrinks first (both volatile: whoever reads the new renewSentAt then reads this owned)
        owned = Set.copyOf(still);
        renewSentAt = sent;
        if (!lost.isEmpty()) lose(lost);

        jdbc.sql(HEARTBEAT)
                .param("group", group)
                .param("holder", holder)
                .param("ttl", ttl.toMillis())
                .update();
        long members =
                jdbc.sql(LIVE_MEMBERS).param("group", group).query(Long.class).single();
        if (members != lastMembers) {
            lastMembers = members;
            settlingUntil = System.nanoTime() + ttl.toNanos();
        }
        int share = (int) Math.ceilDiv(UserPartition.COUNT, Math.max(1, members));
        Set<Integer> held = new TreeSet<>(renewed);
        if (held.size() < share) {
            // keep only our fair share of what we claimed; give the rest back at once
            Set<Integer> surplus = new TreeSet<>();
            List<Integer> claimed = new ArrayList<>(query(CLAIM_MISSING));
            claimed.addAll(query(CLAIM_EXPIRED));
            long now = System.nanoTime();
            for (int p : claimed)
                if (held.contains(p)) continue;
                else if (held.size() < share && !failures.resting(p, now)) held.add(p);
                else surplus.add(p);
            release(surplus);
        } else if (held.size() > share) {
            Set<Integer> surplus =
                    new TreeSet<>(held.stream().sorted().skip(share).toList());
            held.removeAll(surplus);
            // two phases: work on them stops first, only then may the replica that joined claim them (also for
            // partitions kept on an earlier round because their work did not stop then)
            Set<Integer> remaining = new TreeSet<>(owned);
            remaining.removeAll(surplus);
            owned = Set.copyOf(remaining);
            if (lose(surplus)) release(surplus);
        }
        // partitions claimed now, or kept earlier when their work did not stop in time and now ours again
        Set<Integer> gained = new TreeSet<>(held);
        gained.removeAll(owned);
        failures.gaining(gained);
        if (!gained.isEmpty()) {
            try {
                listener.acquired(gained);
            } catch (NotReady e) {
                // its own work on a kept partition has not stopped: they stay leased and not owned, and it is told
                // again next round. Released now, another replica could take them while that work still goes on
                log.atWarn()
                        .addKeyValue("group", group)
                        .addKeyValue("partitions", gained)
                        .setCause(e)
                        .log("partitions not taken up yet (work on them not stopped); tried again next round");
                return;
            } catch (RuntimeException e) {
                // the take-up itself failed (recovery, for one): told again next round, and a partition that failed
                // a few rounds in a row is released, so that another replica may try (no work of this one goes on in
                // it); the others stay leased and are told again
                int rounds = failures.rounds(gained) + 1;
                Set<Integer> exhausted = failures.failed(gained, System.nanoTime());
                if (exhausted.isEmpty()) {
                    log.atWarn()
                            .addKeyValue("group", group)
                            .addKeyValue("partitions", gained)
                            .addKeyValue("failedRounds", rounds)
                            .setCause(e)
                            .log("taking up partitions failed; tried again next round");
                    return;
                }
                release(exhausted);
                log.atError()
                        .addKeyValue("group", group)
                        .addKeyValue("partitions", exhausted)
                        .addKeyValue("failedRounds", MAX_FAILED_TAKE_UPS)
                        .setCause(e)
                        .log("taking up partitions kept failing; released for another replica to try");
                return;
            }
            failures.succeeded(gained);
            owned = Set.copyOf(held);
            log.atInfo()
                    .addKeyValue("group", group)
                    .addKeyValue("gained", gained)
                    .log("partitions acquired");
        }
    }

    /**
     * Tells the listener of partitions no longer {@link #owned()}; false when it could not stop the work on them (the
     * leases are then kept for now).
     */
    private boolean lose(Set<Integer> lost) {
        try {
            listener.lost(lost);
        } catch (RuntimeException e) {
            log.atWarn()
                    .addKeyValue("group", group)
                    .addKeyValue("partitions", lost)
                    .setCause(e)
                    .log("work on partitions did not stop; they are kept and given back later");
            return false;
        }
        log.atInfo().addKeyValue("group", group).addKeyValue("lost", lost).log("partitions released or lost");
        return true;
    }

    private List<Integer> query(String sql) {
        return withLockWait(() -> jdbc.sql(sql)
                .param("group", group)
                .param("holder", holder)
                .param("ttl", ttl.toMillis())
                .param("count", UserPartition.COUNT)
                .query(Integer.class)
                .list());
    }

    private void release(Set<Integer> partitions) {
        if (partitions.isEmpty()) return;
        withLockWait(() -> jdbc.sql(RELEASE)
                .param("group", group)
                .param("holder", holder)
                .param("partitions", partitions)
                .update());
    }

    /** Runs a statement of the lease thread in its own transaction, waiting at most a tenth of the ttl for locks. */
    private <T> T withLockWait(Supplier<T> statement) {
        long millis = Math.max(1_000, ttl.toMillis() / 10);
        return tx.execute(status -> {
            jdbc.sql(LOCK_WAIT)
                    .param("millis", millis + "ms")
                    .query(String.class)
                    .single();
            return statement.get();
        });
    }

    private void rebalanceQuietly() {
        try {
            rebalanceNow();
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("group", group).setCause(e).log("lease round failed; will retry");
        }
    }

    /**
     * Inside the caller's transaction: checks that every given partition is still leased to this replica and locks
     * those lease rows until commit. Throws {@link LeaseLostException} otherwise (roll back, do not commit).
     */
    public void assertHeld(Set<Integer> partitions) {
        if (partitions.isEmpty()) return;
        Set<Integer> held = new HashSet<>(jdbc.sql(HELD)
                .param("group", group)
                .param("holder", holder)
                .param("partitions", partitions)
                .query(Integer.class)
                .list());
        if (!held.containsAll(partitions)) {
            Set<Integer> missing = new TreeSet<>(partitions);
            missing.removeAll(held);
            throw new LeaseLostException(group, missing);
        }
    }

    /** Stops renewing and gives every lease back. */
    @Override
    public void close() {
        loop.shutdownNow();
        Set<Integer> mine = owned;
        owned = Set.of();
        try {
            release(mine);
            jdbc.sql(LEAVE).param("group", group).param("holder", holder).update();
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("could not release leases; they will expire");
        }
    }
}
