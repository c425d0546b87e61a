package dev.eventpipe.router.leases;

import dev.eventpipe.jobsdb.LeaseLostException;
import dev.eventpipe.jobsdb.PartitionLeases;
import dev.eventpipe.router.config.RouterProperties;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * This replica's leases on the user partitions (lease group {@code router}), shared with the other replicas: what
 * the pickup may read, what a worker may send, what a status commit may write. It has a lifecycle of its own,
 * phase {@link RouterPhases#LEASES}: the leases are taken before anything else of the router starts and released
 * after everything else has stopped. While they are held, {@link Handover} is told of partitions gained and lost.
 */
public final class RouterLeases implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(RouterLeases.class);
    static final String GROUP = "router";

    private final DataSource dataSource;
    private final Duration ttl;
    private final boolean enabled;
    private final Handover handover;
    private final String holder;
    private volatile @Nullable PartitionLeases leases;

    public RouterLeases(DataSource dataSource, RouterProperties properties, Handover handover) {
        this.dataSource = dataSource;
        this.ttl = properties.leaseTtl();
        this.enabled = properties.enabled();
        this.handover = handover;
        this.holder = properties.instanceId().isBlank()
                ? "router-" + UUID.randomUUID().toString().substring(0, 8)
                : properties.instanceId();
    }

    /** The partitions this replica works on now. */
    public Set<Integer> owned() {
        PartitionLeases l = leases;
        return l == null ? Set.of() : l.owned();
    }

    /**
     * The partitions a send lasting up to {@code sendTime} may start on. A send longer than a third of the lease
     * ttl is fenced by that third only: renewals come every third, so asking for more would stop all sends.
     */
    public Set<Integer> ownedFor(Duration sendTime) {
        PartitionLeases l = leases;
        if (l == null) return Set.of();
        Duration third = ttl.dividedBy(3);
        return l.ownedFor(sendTime.compareTo(third) < 0 ? sendTime : third);
    }

    /**
     * Inside the caller's transaction: checks that every given partition is still leased to this replica and locks
     * those lease rows until commit; throws {@link LeaseLostException} otherwise (roll back, do not commit).
     */
    public void assertHeld(Set<Integer> partitions) {
        PartitionLeases l = leases;
        if (l == null) throw new LeaseLostException(GROUP, partitions);
        l.assertHeld(partitions);
    }

    public String holder() {
        return holder;
    }

    /** Takes a first share of the partitions (recovering what a dead replica left in them), then keeps it current. */
    @Override
    public synchronized void start() {
        leases = new PartitionLeases(dataSource, GROUP, holder, ttl, handover).start();
    }

    /** Gives every lease back: the pickup, the workers and the status committer have stopped (phases). */
    @Override
    public synchronized void stop() {
        PartitionLeases l = leases;
        if (l != null) l.close();
        leases = null;
        log.atInfo().addKeyValue("holder", holder).log("router stopped");
    }

    @Override
    public boolean isRunning() {
        return leases != null;
    }

    @Override
    public boolean isAutoStartup() {
        return enabled;
    }

    @Override
    public int getPhase() {
        return RouterPhases.LEASES;
    }
}
