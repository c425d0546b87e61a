package dev.eventpipe.workspaceconfig;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Creates the {@code workspace_config_cache} table (Flyway, history in {@code workspace_config_schema_history},
 * beside the queues' and each service's own migrations). In a database made before this module existed, the rows of
 * jobsdb's old {@code config_cache} table are carried over, so an upgrade keeps every service's last good config.
 */
final class ConfigCacheSchema {
    private ConfigCacheSchema() {}

    static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/workspaceconfig")
                .table("workspace_config_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
