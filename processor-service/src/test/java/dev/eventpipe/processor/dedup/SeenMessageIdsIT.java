package dev.eventpipe.processor.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.processor.config.ProcessorSchema;
import dev.eventpipe.testkit.TestPostgres;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class SeenMessageIdsIT {
    static final Duration DAY = Duration.ofHours(24);
    DataSource dataSource;
    SeenMessageIds seen;
    TransactionTemplate tx;

    @BeforeEach
    void setUp() {
        TestPostgres.Database db = TestPostgres.newDatabase();
        dataSource = DataSourceBuilder.create()
                .url(db.url())
                .username(db.user())
                .password(db.password())
                .build();
        new ProcessorSchema(dataSource);
        seen = new SeenMessageIds(dataSource);
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
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
    void expiredIdsAreNotSeenCanBeClaimedAgainAndAreDeleted() {
        DedupKey a = new DedupKey("s1", "m1");
        tx.executeWithoutResult(s -> seen.claim(List.of(a), DAY));
        JdbcClient.create(dataSource)
                .sql("UPDATE proc_dedup_ids SET seen_at = now() - interval '25 hours'")
                .update();
        assertThat(seen.seen(List.of(a), DAY)).isEmpty();
        assertThat(seen.expire(DAY, 100)).isEqualTo(1);
        tx.executeWithoutResult(s -> seen.claim(List.of(a), DAY));
        JdbcClient.create(dataSource)
                .sql("UPDATE proc_dedup_ids SET seen_at = now() - interval '25 hours'")
                .update();
        tx.executeWithoutResult(s -> seen.claim(List.of(a), DAY)); // an expired row is taken over
        assertThat(seen.seen(List.of(a), DAY)).containsExactly(a);
    }
}
