package dev.eventpipe.gateway.config;

import dev.eventpipe.jobsdb.JdbcLastGoodConfigStore;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.model.config.ConfigClientSettings;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The workspace-config client: loaded once at start-up, then polled; the last good config is kept in the DB. */
@Configuration(proxyBeanMethods = false)
class WorkspaceConfigBeans {
    // JobsDbs is a parameter so that Flyway has created config_cache before the client reads it.
    @Bean(destroyMethod = "close")
    WorkspaceConfigClient workspaceConfigClient(
            DataSource dataSource, JobsDbs migratedSchema, WorkspaceConfigProperties properties) {
        ConfigClientSettings settings = new ConfigClientSettings(
                properties.path(),
                properties.backendUrl(),
                properties.token(),
                properties.pollInterval(),
                properties.httpTimeout());
        return WorkspaceConfigClient.create(settings, new JdbcLastGoodConfigStore(dataSource, "gateway"))
                .start();
    }
}
