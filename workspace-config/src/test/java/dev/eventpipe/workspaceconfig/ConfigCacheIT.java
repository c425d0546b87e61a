package dev.eventpipe.workspaceconfig;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventpipe.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class ConfigCacheIT {
    private static HikariDataSource database() {
        TestPostgres.Database db = TestPostgres.newDatabase();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.url());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }

    @Test
    void eachServiceKeepsItsOwnLastGoodConfigAndReadsItBack() {
        try (HikariDataSource dataSource = database()) {
            ConfigCacheSchema.migrate(dataSource);
            var gateway = new JdbcLastGoodConfigStore(dataSource, "gateway-service");
            var router = new JdbcLastGoodConfigStore(dataSource, "router-service");

            assertThat(gateway.load()).isEmpty();
            gateway.save(bytes("{\"v\":1}"));
            gateway.save(bytes("{\"v\":2}"));
            router.save(bytes("{\"r\":1}"));

            assertThat(gateway.load()).map(ConfigCacheIT::text).hasValue("{\"v\":2}");
            assertThat(router.load()).map(ConfigCacheIT::text).hasValue("{\"r\":1}");
        }
    }

    @Test
    void aDatabaseFromBeforeTheMoveKeepsEveryServicesCachedConfig() {
        try (HikariDataSource dataSource = database()) {
            // jobsdb's first migration made this table before this module existed (and still does)
            JdbcClient jdbc = JdbcClient.create(dataSource);
            jdbc.sql("""
                    CREATE TABLE config_cache (consumer text PRIMARY KEY, config bytea NOT NULL,
                                               updated_at timestamptz NOT NULL DEFAULT now())""").update();
            jdbc.sql("INSERT INTO config_cache (consumer, config) VALUES ('processor-service', 'old'::bytea)")
                    .update();

            ConfigCacheSchema.migrate(dataSource);
            ConfigCacheSchema.migrate(dataSource); // every service start migrates: the second run is a no-op

            assertThat(new JdbcLastGoodConfigStore(dataSource, "processor-service").load())
                    .map(ConfigCacheIT::text)
                    .hasValue("old");
            // and the old table, copied, is gone
            assertThat(jdbc.sql("SELECT to_regclass('config_cache') IS NULL")
                            .query(Boolean.class)
                            .single())
                    .isTrue();
        }
    }

    @Test
    void aCacheTableThatIsMissingLeavesTheServiceWithoutACacheInsteadOfFailing() {
        try (HikariDataSource dataSource = database()) {
            var store = new JdbcLastGoodConfigStore(dataSource, "gateway-service"); // table never created
            store.save(bytes("{}"));
            assertThat(store.load()).isEmpty();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
