package dev.eventpipe.workspaceconfig;

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
 * The workspace-config client of every data-plane service (gateway, processor, router): loaded once at start, then
 * polled. Its last good config is kept in the service's PostgreSQL ({@code workspace_config_cache}, one row per service), from
 * which a restart works while the control plane is down.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(WorkspaceConfigSettings.class)
public class WorkspaceConfigAutoConfiguration {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    WorkspaceConfigClient workspaceConfigClient(
            DataSource dataSource,
            WorkspaceConfigSettings settings,
            @Value("${spring.application.name:data-plane}") String consumer) {
        ConfigCacheSchema.migrate(dataSource);
        ConfigClientSettings client = new ConfigClientSettings(
                settings.path(),
                settings.backendUrl(),
                settings.token(),
                settings.namespace(),
                settings.namespaceSecret(),
                settings.pollInterval(),
                settings.httpTimeout());
        return WorkspaceConfigClient.create(client, new JdbcLastGoodConfigStore(dataSource, consumer))
                .start();
    }
}
