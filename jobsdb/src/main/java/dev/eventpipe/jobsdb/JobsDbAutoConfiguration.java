package dev.eventpipe.jobsdb;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Opens the queues for any Spring Boot service with a DataSource, and runs dataset maintenance in background. */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties({JobsDbSettings.class, StorageSettings.class})
public class JobsDbAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(JobsDbAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    JobsDbs jobsDbs(DataSource dataSource, JobsDbSettings settings, ObjectProvider<MeterRegistry> meters) {
        return JobsDbs.open(
                dataSource, settings, meters.getIfAvailable(SimpleMeterRegistry::new), InstantSource.system());
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService jobsDbMaintenance(JobsDbs jobsDbs, JobsDbSettings settings) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jobsdb-maintenance");
            t.setDaemon(true);
            return t;
        });
        if (settings.maintenance()) {
            long every = settings.maintenanceInterval().toMillis();
            executor.scheduleWithFixedDelay(
                    () -> {
                        try {
                            jobsDbs.maintenance().runOnce();
                        } catch (RuntimeException e) {
                            log.atWarn().setCause(e).log("dataset maintenance failed; will retry");
                        }
                    },
                    every,
                    every,
                    TimeUnit.MILLISECONDS);
        }
        return executor;
    }
}
