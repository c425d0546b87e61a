package dev.eventpipe.processor.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.processor.TestBed;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Stage counts older than the retention are deleted in slices, newer ones kept (review P2-10, processor half). */
class StatsRetentionIT {

    @Test
    void countsBeforeTheCutoffAreDeletedInSlicesAndLaterOnesKept() {
        try (TestBed bed = TestBed.schema()) {
            JdbcClient sql = JdbcClient.create(bed.dataSource());
            Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            Instant cutoff = now.minus(Duration.ofDays(30));
            for (int minute = 1; minute <= 5; minute++)
                for (Instant bucket :
                        new Instant[] {cutoff.minus(Duration.ofMinutes(minute)), now.minusSeconds(60L * minute)})
                    sql.sql("""
                                    INSERT INTO proc_stats (bucket, workspace_id, source_id, destination_id, stage, count)
                                    VALUES (:bucket, 'ws', 'src', '', 'received', 1)""").param("bucket", Timestamp.from(bucket)).update();
            StatsRepository stats = new StatsRepository(bed.dataSource());

            assertThat(stats.deleteBefore(cutoff, 2)).isEqualTo(2);
            assertThat(stats.deleteBefore(cutoff, 2)).isEqualTo(2);
            assertThat(stats.deleteBefore(cutoff, 2)).isEqualTo(1);
            assertThat(stats.deleteBefore(cutoff, 2)).isZero();
            assertThat(sql.sql("SELECT count(*) FROM proc_stats WHERE bucket >= :cutoff")
                            .param("cutoff", Timestamp.from(cutoff))
                            .query(Long.class)
                            .single())
                    .isEqualTo(5);
            assertThat(sql.sql("SELECT count(*) FROM proc_stats")
                            .query(Long.class)
                            .single())
                    .isEqualTo(5);
        }
    }
}
