package dev.eventpipe.jobsdb;

import dev.eventpipe.model.config.ConfigClientSettings;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The workspace-config client of every data-plane service (gateway, processor, router): loaded once at start,
 * then polled. It lives beside the queues because its last good config is kept in the queue database
 * ({@code config_cache}, one row per service), from which a restart works while the control plane is down.
 */
@AutoConfiguration(after = JobsDbAutoConfiguration.class)
@ConditionalOnBean(JobsDbs.class)
@EnableConfigurationProperties(WorkspaceConfigSettings.class)
public class WorkspaceConfigAutoConfiguration {
    // JobsDbs is a parameter so that Flyway has created config_cache before the client reads it.
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    WorkspaceConfigClient workspaceConfigClient(
            DataSource dataSource,
            JobsDbs migratedSchema,
            WorkspaceConfigSettings settings,
            @Value("${spring.application.name:data-plane}") String consumer) {
        ConfigClientSettings client = new ConfigClientSettings(
                settings.path(),
                settings.backendUrl(),
                settings.token(),
                settings.pollInterval(),
                settings.httpTimeout());
        return WorkspaceConfigClient.create(client, new JdbcLastGoodConfigStore(dataSource, consumer))
                .start();
    }
}
