package dev.eventpipe.router.config;

import dev.eventpipe.jobsdb.JobsDbs;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The router's shared infrastructure: clock, workspace config, pooled HTTP client, its own schema. */
@Configuration(proxyBeanMethods = false)
class RouterBeans {

    /** Tests replace it to move time; every retry and abort decision reads it. */
    @Bean
    @ConditionalOnMissingBean
    InstantSource routerClock() {
        return InstantSource.system();
    }

    /** The router's tables (replays, stats), migrated after the queue schema, with their own history table. */
    @Bean
    RouterSchema routerSchema(DataSource dataSource, JobsDbs migratedQueues) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/router")
                .table("router_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        return new RouterSchema();
    }

    /** One pooled client for all destinations; requests run on virtual threads, each with its own timeout. */
    @Bean(destroyMethod = "close")
    HttpClient deliveryHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    @Bean
    TransactionTemplate routerTransactions(DataSource dataSource) {
        return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }
}
