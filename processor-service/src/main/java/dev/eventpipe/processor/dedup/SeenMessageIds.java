package dev.eventpipe.processor.dedup;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The table of messageIds seen within the dedup window ({@code proc_dedup_ids}). Reads happen before the store
 * transaction; {@link #claim} runs inside it and takes each id or reports that another replica already took it.
 * Times are the database's, so replicas with skewed clocks agree on the window.
 */
@Component
public class SeenMessageIds {
    private static final String SEEN = """
            SELECT d.source_id, d.message_id FROM proc_dedup_ids d
            JOIN unnest(:sources::text[], :ids::text[]) AS k(source_id, message_id)
              ON d.source_id = k.source_id AND d.message_id = k.message_id
            WHERE d.seen_at > now() - :windowMs * interval '1 millisecond'""";
    // An expired row is taken over; a live one (committed by another replica, possibly just now: the insert waits
    // for that commit) is not, and the caller learns it from the missing RETURNING row.
    private static final String CLAIM = """
            INSERT INTO proc_dedup_ids (source_id, message_id, seen_at)
            SELECT k.source_id, k.message_id, now() FROM unnest(:sources::text[], :ids::text[]) AS k(source_id, message_id)
            ON CONFLICT (source_id, message_id) DO UPDATE SET seen_at = excluded.seen_at
                WHERE proc_dedup_ids.seen_at <= now() - :windowMs * interval '1 millisecond'
            RETURNING source_id, message_id""";
    private static final String EXPIRE = """
            DELETE FROM proc_dedup_ids WHERE ctid IN (
                SELECT ctid FROM proc_dedup_ids WHERE seen_at <= now() - :windowMs * interval '1 millisecond'
                LIMIT :limit)""";

    private final JdbcClient jdbc;

    public SeenMessageIds(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
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

    /** In the caller's transaction: records the ids; throws {@link DedupConflictException} if one was taken. */
    public void claim(List<DedupKey> keys, Duration window) {
        if (keys.isEmpty()) return;
        List<DedupKey> sorted = keys.stream().sorted().toList(); // one lock order for all replicas
        int claimed = jdbc.sql(CLAIM)
                .param("sources", sorted.stream().map(DedupKey::sourceId).toArray(String[]::new))
                .param("ids", sorted.stream().map(DedupKey::messageId).toArray(String[]::new))
                .param("windowMs", window.toMillis())
                .query((rs, n) -> 1)
                .list()
                .size();
        if (claimed != sorted.size()) throw new DedupConflictException(sorted.size() - claimed);
    }

    /** Deletes up to {@code limit} expired ids; returns how many. */
    public int expire(Duration window, int limit) {
        return jdbc.sql(EXPIRE)
                .param("windowMs", window.toMillis())
                .param("limit", limit)
                .update();
    }
}
