package dev.eventpipe.jobsdb;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Shares the {@link UserPartition#COUNT} user partitions among the live replicas of one group through lease rows
 * in PostgreSQL. Every {@code ttl / 3} a replica heartbeats its membership, renews its leases, takes free or expired partitions up to its fair
 * share ({@code ceil(COUNT / live replicas)}) and gives back what it holds above that, so replicas that join get
 * work and partitions of a replica that died move after its leases expire.
 *
 * <p>Order of events on a move: the new holder is told ({@link Listener#acquired}) before it works on a partition,
 * so it can recover jobs the old holder left executing. Work that must not be committed by a replica that lost
 * its lease calls {@link #assertHeld} inside its transaction: that locks the lease rows until commit, so a
 * takeover waits for the commit and never overlaps it.
 */
public final class PartitionLeases implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionLeases.class);

    /** Told about partitions gained (before work starts on them) and lost (after work on them stops). */
    public interface Listener {
        void acquired(Set<Integer> partitions);

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
    private static final String CLAIM = """
            INSERT INTO jobsdb_partition_leases (owner_group, partition, holder, expires_at)
            SELECT :group, p, :holder, now() + :ttl * interval '1 millisecond' FROM generate_series(0, :count - 1) p
            ON CONFLICT (owner_group, partition) DO UPDATE
                SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE jobsdb_partition_leases.expires_at <= now()
            RETURNING partition""";
    private static final String RELEASE = """
            DELETE FROM jobsdb_partition_leases
            WHERE owner_group = :group AND holder = :holder AND partition IN (:partitions)""";
    private static final String HELD = """
            SELECT partition FROM jobsdb_partition_leases
            WHERE owner_group = :group AND holder = :holder AND expires_at > now() AND partition IN (:partitions)
            FOR SHARE""";

    private final JdbcClient jdbc;
    private final String group;
    private final String holder;
    private final Duration ttl;
    private final Listener listener;
    private final ScheduledExecutorService loop;
    private volatile Set<Integer> owned = Set.of();

    public PartitionLeases(DataSource dataSource, String group, String holder, Duration ttl, Listener listener) {
        this.jdbc = JdbcClient.create(dataSource);
        this.group = group;
        this.holder = holder;
        this.ttl = ttl;
        this.listener = listener;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leases-" + group);
            t.setDaemon(true);
            return t;
        });
    }

    /** Takes a first share now, then keeps leases current in the background. */
    public PartitionLeases start() {
        rebalanceNow();
        long every = Math.max(1, ttl.toMillis() / 3);
        loop.scheduleWithFixedDelay(this::rebalanceQuietly, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** The partitions this replica may work on now. */
    public Set<Integer> owned() {
        return owned;
    }

    public String holder() {
        return holder;
    }

    /** One renew / claim / give-back step. */
    public synchronized void rebalanceNow() {
        Set<Integer> renewed = new HashSet<>(query(RENEW));
        Set<Integer> lost = new TreeSet<>(owned);
        lost.removeAll(renewed);
        if (!lost.isEmpty()) lose(lost, renewed);

        jdbc.sql(HEARTBEAT)
                .param("group", group)
                .param("holder", holder)
                .param("ttl", ttl.toMillis())
                .update();
        long members =
                jdbc.sql(LIVE_MEMBERS).param("group", group).query(Long.class).single();
        int share = (int) Math.ceilDiv(UserPartition.COUNT, Math.max(1, members));
        Set<Integer> held = new TreeSet<>(renewed);
        if (held.size() < share) {
            List<Integer> claimed = query(CLAIM);
            Set<Integer> gained = new TreeSet<>(claimed);
            gained.removeAll(held);
            // keep only our fair share of what we claimed; give the rest back at once
            Set<Integer> surplus = new TreeSet<>();
            for (int p : gained)
                if (held.size() < share) held.add(p);
                else surplus.add(p);
            release(surplus);
            gained.removeAll(surplus);
            if (!gained.isEmpty()) {
                try {
                    listener.acquired(gained);
                } catch (RuntimeException e) {
                    // not ready to work on them (e.g. recovery failed): give them back, claim again next round
                    held.removeAll(gained);
                    release(gained);
                    throw e;
                }
                owned = Set.copyOf(held);
                log.atInfo()
                        .addKeyValue("group", group)
                        .addKeyValue("gained", gained)
                        .log("partitions acquired");
            }
        } else if (held.size() > share) {
            Set<Integer> surplus =
                    new TreeSet<>(held.stream().sorted().skip(share).toList());
            held.removeAll(surplus);
            lose(surplus, held);
            release(surplus);
        }
    }

    private void lose(Set<Integer> lost, Set<Integer> remaining) {
        owned = Set.copyOf(remaining);
        listener.lost(lost);
        log.atInfo().addKeyValue("group", group).addKeyValue("lost", lost).log("partitions released or lost");
    }

    private List<Integer> query(String sql) {
        return jdbc.sql(sql)
                .param("group", group)
                .param("holder", holder)
                .param("ttl", ttl.toMillis())
                .param("count", UserPartition.COUNT)
                .query(Integer.class)
                .list();
    }

    private void release(Set<Integer> partitions) {
        if (partitions.isEmpty()) return;
        jdbc.sql(RELEASE)
                .param("group", group)
                .param("holder", holder)
                .param("partitions", partitions)
                .update();
    }

    private void rebalanceQuietly() {
        try {
            rebalanceNow();
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("group", group).setCause(e).log("lease renewal failed; will retry");
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

    /** For tests of takeover: stops renewing without giving leases back, as a killed process would. */
    public void abandon() {
        loop.shutdownNow();
        owned = Set.of();
    }
}
