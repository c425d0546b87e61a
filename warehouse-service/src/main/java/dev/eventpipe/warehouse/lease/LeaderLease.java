package dev.eventpipe.warehouse.lease;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One lease row ({@code wh_leases}) that makes one replica the active one: it stages, uploads and archives; the
 * others serve the API and wait. The holder renews every {@code ttl / 3}; another replica takes the lease once it
 * has expired, so a replica killed with {@code kill -9} is replaced after at most {@code ttl}. Work that must not be
 * committed by a replica that lost the lease calls {@link #assertHeld()} in its transaction: that locks the row
 * until commit, so a takeover waits for the commit and never overlaps it.
 */
public final class LeaderLease implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderLease.class);
    private static final String CLAIM = """
            INSERT INTO wh_leases (name, holder, expires_at)
            VALUES (:name, :holder, now() + :ttl * interval '1 millisecond')
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE wh_leases.holder = excluded.holder OR wh_leases.expires_at <= now()
            RETURNING holder""";
    private static final String HELD = """
            SELECT 1 FROM wh_leases WHERE name = :name AND holder = :holder AND expires_at > now() FOR SHARE""";
    private static final String RELEASE = "DELETE FROM wh_leases WHERE name = :name AND holder = :holder";

    private final JdbcClient jdbc;
    private final String name;
    private final String holder;
    private final Duration ttl;
    private final ScheduledExecutorService loop;
    private volatile boolean leader;

    public LeaderLease(DataSource dataSource, String name, String holder, Duration ttl) {
        this.jdbc = JdbcClient.create(dataSource);
        this.name = name;
        this.holder = holder;
        this.ttl = ttl;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    public LeaderLease start() {
        renewQuietly();
        long every = Math.max(1, ttl.toMillis() / 3);
        loop.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Whether this replica held the lease at its last renewal. */
    public boolean isLeader() {
        return leader;
    }

    public String holder() {
        return holder;
    }

    /** Claims or renews now; returns whether this replica holds the lease. */
    public synchronized boolean renew() {
        boolean now = !jdbc.sql(CLAIM)
                .param("name", name)
                .param("holder", holder)
                .param("ttl", ttl.toMillis())
                .query(String.class)
                .list()
                .isEmpty();
        if (now != leader)
            log.atInfo()
                    .addKeyValue("lease", name)
                    .addKeyValue("holder", holder)
                    .log(now ? "became the active replica" : "lost the lease: now a standby");
        leader = now;
        return now;
    }

    private void renewQuietly() {
        try {
            renew();
        } catch (RuntimeException e) {
            leader = false;
            log.atWarn().setCause(e).log("lease renewal failed; standing by until it works again");
        }
    }

    /** Inside the caller's transaction: fails unless this replica holds the lease, and keeps it until commit. */
    public void assertHeld() {
        if (jdbc.sql(HELD)
                .param("name", name)
                .param("holder", holder)
                .query(Integer.class)
                .optional()
                .isEmpty()) {
            leader = false;
            throw new LeaseLostException(name);
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
        if (!leader) return;
        leader = false;
        try {
            jdbc.sql(RELEASE).param("name", name).param("holder", holder).update();
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("could not release the lease; it will expire");
        }
    }

    /** The lease was lost before a commit: roll back, the new holder redoes the work. */
    public static final class LeaseLostException extends RuntimeException {
        LeaseLostException(String name) {
            super("lease " + name + " is no longer held by this replica");
        }
    }
}
