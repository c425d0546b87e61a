package dev.eventpipe.router.config;

import dev.eventpipe.jobsdb.JobsDbs;
import java.time.InstantSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The router's shared infrastructure: clock, workspace config, its own schema (the HTTP clients live in delivery and batching). */
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

    @Bean
    TransactionTemplate routerTransactions(DataSource dataSource) {
        return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }
}
