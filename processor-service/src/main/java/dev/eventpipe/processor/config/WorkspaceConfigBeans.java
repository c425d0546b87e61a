package dev.eventpipe.processor.config;

import dev.eventpipe.jobsdb.JdbcLastGoodConfigStore;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.model.config.ConfigClientSettings;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The workspace-config client: a file or the control plane, the last good config kept in the database. */
@Configuration(proxyBeanMethods = false)
class WorkspaceConfigBeans {
    // JobsDbs is a parameter so that Flyway has created config_cache before the client reads it.
    @Bean(destroyMethod = "close")
    WorkspaceConfigClient workspaceConfigClient(
            DataSource dataSource, JobsDbs migratedSchema, ProcessorProperties properties) {
        ProcessorProperties.WorkspaceConfig c = properties.workspaceConfig();
        ConfigClientSettings settings =
                new ConfigClientSettings(c.path(), c.backendUrl(), c.token(), c.pollInterval(), c.httpTimeout());
        return WorkspaceConfigClient.create(settings, new JdbcLastGoodConfigStore(dataSource, "processor"))
                .start();
    }
}
