package dev.eventpipe.processor.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.processor.TestBed;
import dev.eventpipe.processor.TestBedCase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class SeenMessageIdsIT extends TestBedCase {
    static final Duration DAY = Duration.ofHours(24);
    SeenMessageIds seen;
    TransactionTemplate tx;
    JdbcClient sql;

    @Override
    protected TestBed openBed() {
        return TestBed.schema();
    }

    @BeforeEach
    void setUp() {
        seen = new SeenMessageIds(bed.dataSource());
        seen.cover();
        tx = new TransactionTemplate(new DataSourceTransactionManager(bed.dataSource()));
        sql = JdbcClient.create(bed.dataSource());
    }

    @Test
    void claimedIdsAreSeenPerSourceOnlyAfterCommit() {
        DedupKey a = new DedupKey("s1", "m1");
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
                    seen.claim(List.of(a), DAY);
                    throw new IllegalStateException("crash before commit");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(seen.seen(List.of(a), DAY)).isEmpty();

        tx.executeWithoutResult(s -> seen.claim(List.of(a), DAY));
        assertThat(seen.seen(List.of(a, new DedupKey("s2", "m1")), DAY)).containsExactly(a);
    }

    @Test
    void anIdClaimedByAnotherReplicaMeanwhileFailsTheClaim() {
        DedupKey a = new DedupKey("s1", "m1");
        tx.executeWithoutResult(s -> seen.claim(List.of(a), DAY));
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> seen.claim(List.of(new DedupKey("s1", "m2"), a), DAY)))
                .isInstanceOf(DedupConflictException.class);
        assertThat(seen.seen(List.of(new DedupKey("s1", "m2")), DAY)).isEmpty();
    }

    @Test
    void idsOlderThanTheWindowAreNotSeenAndTheirHourIsDroppedWholeWithoutTouchingRecentOnes() {
        DedupKey old = new DedupKey("s1", "old");
        DedupKey recent = new DedupKey("s1", "recent");
        // an id claimed 30 hours ago, in its own hour's partition
        sql.sql("SELECT proc_dedup_cover(now() - interval '30 hours', now() - interval '30 hours')")
                .query()
                .singleRow();
        sql.sql("""
                        INSERT INTO proc_dedup_ids (source_id, message_id, bucket, seen_at)
                        VALUES ('s1', 'old', date_bin('1 hour', now() - interval '30 hours', timestamptz '2000-01-01'),
                                now() - interval '30 hours')""").update();
        tx.executeWithoutResult(s -> seen.claim(List.of(recent), DAY));
        assertThat(seen.seen(List.of(old, recent), DAY)).containsExactly(recent);

        assertThat(seen.dropExpired(DAY)).isEqualTo(1);
        assertThat(sql.sql("SELECT count(*) FROM proc_dedup_ids")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        tx.executeWithoutResult(s -> seen.claim(List.of(old), DAY)); // an expired id may come back
        assertThat(seen.seen(List.of(old, recent), DAY)).containsExactlyInAnyOrder(old, recent);
        assertThat(seen.dropExpired(DAY)).isZero();
    }
}
