package dev.eventpipe.processor.config;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.stereotype.Component;

/**
 * The processor's own tables ({@code proc_*}: dedup ids, stage counts), migrated by Flyway from
 * {@code classpath:db/processor} with their own history table, so they live beside the jobsdb schema.
 */
@Component
public class ProcessorSchema {
    public ProcessorSchema(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/processor")
                .table("processor_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
