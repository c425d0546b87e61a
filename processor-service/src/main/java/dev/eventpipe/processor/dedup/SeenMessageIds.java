package dev.eventpipe.processor.dedup;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The table of messageIds seen within the dedup window ({@code proc_dedup_ids}), partitioned by the hour of the
 * claim: expiry drops whole partitions, never deletes rows. Reads happen before the store transaction;
 * {@link #claim} runs inside it and takes each id or reports that another replica already took it within the same
 * hour. (Two replicas claiming one id in two different hours, within the moment between one's check and the
 * other's commit, both win: an id shared by two users, processed on two replicas, across an hour boundary.) Times
 * are the database's, so replicas with skewed clocks agree on the window.
 */
@Component
public class SeenMessageIds {
    // The hours a live id can be in: from the window's start to now. The upper bound keeps the probes out of the
    // partitions made ahead (cover() makes the next three hours), which are empty: 1,800 ids probed 5 partitions
    // in 16-28 ms, 2 in 5-13 ms (PostgreSQL 15 on the 2-core VM, busy; 650,000 ids in the current hour). A claim is
    // bucketed at its own
    // transaction's now(), so a row above this read's now() belongs to a transaction this read cannot see anyway;
    // and this read only spares work: the claim in the store transaction is what decides.
    private static final String SEEN = """
            SELECT d.source_id, d.message_id FROM proc_dedup_ids d
            JOIN unnest(:sources::text[], :ids::text[]) AS k(source_id, message_id)
              ON d.source_id = k.source_id AND d.message_id = k.message_id
            WHERE d.seen_at > now() - :windowMs * interval '1 millisecond'
              AND d.bucket > now() - :windowMs * interval '1 millisecond' - interval '1 hour'
              AND d.bucket <= now()""";
    // Within the hour a live row (committed by another replica, possibly just now: the insert waits for that
    // commit) is not taken over, and the caller learns it from the missing RETURNING row; an expired one (a window
    // shorter than an hour) is.
    private static final String CLAIM = """
            INSERT INTO proc_dedup_ids (source_id, message_id, bucket, seen_at)
            SELECT k.source_id, k.message_id, date_bin('1 hour', now(), timestamptz '2000-01-01'), now()
            FROM unnest(:sources::text[], :ids::text[]) AS k(source_id, message_id)
            ON CONFLICT (source_id, message_id, bucket) DO UPDATE SET seen_at = excluded.seen_at
                WHERE proc_dedup_ids.seen_at <= now() - :windowMs * interval '1 millisecond'
            RETURNING source_id, message_id""";
    private static final String PARTITIONS = """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'proc_dedup_ids'::regclass""";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    /** Until when partitions exist, by this process's clock (refreshed an hour before it runs out). */
    private volatile Instant coveredUntil = Instant.EPOCH;

    public SeenMessageIds(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** The given ids that were seen within the window. */
    public Set<DedupKey> seen(List<DedupKey> keys, Duration window) {
        if (keys.isEmpty()) return Set.of();
        return new HashSet<>(jdbc.sql(SEEN)
                .param("sources", keys.stream().map(DedupKey::sourceId).toArray(String[]::new))
                .param("ids", keys.stream().map(DedupKey::messageId).toArray(String[]::new))
                .param("windowMs", window.toMillis())
                .query((rs, n) -> new DedupKey(rs.getString(1), rs.getString(2)))
                .list());
    }

    /**
     * Makes sure the partitions of this hour and the next three exist. Call it outside the store transaction
     * (creating a partition locks the table briefly); it does nothing while the last call's hours still last.
     */
    public void cover() {
        if (Instant.now().isBefore(coveredUntil.minus(Duration.ofHours(1)))) return;
        tx.executeWithoutResult(status -> {
            jdbc.sql("SELECT set_config('lock_timeout', '2s', true)").query().singleRow();
            jdbc.sql("SELECT proc_dedup_cover(now() - interval '1 hour', now() + interval '3 hours')")
                    .query()
                    .singleRow();
        });
        coveredUntil = Instant.now().plus(Duration.ofHours(3));
    }

    /** In the caller's transaction: records the ids; throws {@link DedupConflictException} if one was taken. */
    public void claim(List<DedupKey> keys, Duration window) {
        if (keys.isEmpty()) return;
        List<DedupKey> sorted = keys.stream().sorted().toList(); // one lock order for all replicas
        int claimed;
        try {
            claimed = jdbc.sql(CLAIM)
                    .param("sources", sorted.stream().map(DedupKey::sourceId).toArray(String[]::new))
                    .param("ids", sorted.stream().map(DedupKey::messageId).toArray(String[]::new))
                    .param("windowMs", window.toMillis())
                    .query((rs, n) -> 1)
                    .list()
                    .size();
        } catch (RuntimeException e) {
            // a missing hour partition is this process's lapse, not the data's fault: never a reason to abort jobs
            if (noPartition(e)) {
                coveredUntil = Instant.EPOCH;
                throw new IllegalStateException("no dedup partition for this hour yet; the batch is retried");
            }
            throw e;
        }
        if (claimed != sorted.size()) throw new DedupConflictException(sorted.size() - claimed);
    }

    private static boolean noPartition(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause())
            if (t instanceof SQLException sql && "23514".equals(sql.getSQLState())) return true;
        return false;
    }

    /**
     * Drops the hour partitions that ended before the window began; returns how many. Waits at most a moment for
     * the table (a partition left now is dropped next time).
     */
    public int dropExpired(Duration window) {
        Instant oldestKept = Instant.now().minus(window).minus(Duration.ofHours(1));
        int dropped = 0;
        for (String partition : jdbc.sql(PARTITIONS).query(String.class).list()) {
            Instant hour;
            try {
                hour = Instant.ofEpochSecond(Long.parseLong(partition.substring("proc_dedup_ids_".length())));
            } catch (RuntimeException e) {
                continue; // not one of ours
            }
            if (!hour.plus(Duration.ofHours(1)).isBefore(oldestKept)) continue;
            tx.executeWithoutResult(status -> {
                jdbc.sql("SELECT set_config('lock_timeout', '2s', true)")
                        .query()
                        .singleRow();
                jdbc.sql("DROP TABLE " + partition).update();
            });
            dropped++;
        }
        return dropped;
    }
}
