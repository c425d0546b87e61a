package dev.eventpipe.jobsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * V1 made a {@code config_cache} table that the workspace-config module replaced with its own, copying the rows
 * (its V1). V11 drops the old table once that copy exists, never before: a service that migrates jobsdb first
 * leaves it for the workspace-config module, which drops it after its copy (its V2, {@code ConfigCacheIT}).
 */
class OldConfigCacheIT {

    @Test
    void theOldConfigTableIsDroppedOnceItsRowsAreCopiedAndKeptUntilThen() {
        try (HikariDataSource copied = TestDatabase.create();
                HikariDataSource notYet = TestDatabase.create()) {
            JdbcClient.create(copied)
                    .sql("CREATE TABLE workspace_config_cache (consumer text PRIMARY KEY, config bytea NOT NULL)")
                    .update();
            JobsDbs.open(copied, JobsDbSettings.defaults());
            JobsDbs.open(notYet, JobsDbSettings.defaults());

            assertThat(exists(copied, "config_cache")).isFalse();
            assertThat(exists(notYet, "config_cache")).isTrue();
        }
    }

    private static boolean exists(HikariDataSource dataSource, String table) {
        return JdbcClient.create(dataSource)
                .sql("SELECT to_regclass(:t) IS NOT NULL")
                .param("t", table)
                .query(Boolean.class)
                .single();
    }
}
