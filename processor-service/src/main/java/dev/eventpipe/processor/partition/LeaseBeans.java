package dev.eventpipe.processor.partition;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.PartitionLeases;
import dev.eventpipe.processor.config.ProcessorProperties;
import java.net.InetAddress;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The processor's share of the user partitions (lease group {@code processor}). */
@Configuration(proxyBeanMethods = false)
class LeaseBeans {
    @Bean
    LeaseEvents leaseEvents(JobsDbs jobsDbs) {
        return new LeaseEvents(jobsDbs.recovery());
    }

    @Bean(destroyMethod = "close")
    PartitionLeases partitionLeases(
            DataSource dataSource, JobsDbs jobsDbs, ProcessorProperties properties, LeaseEvents events) {
        String holder = properties.leases().holder();
        if (holder.isBlank())
            holder = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new PartitionLeases(
                        dataSource, "processor", holder, properties.leases().ttl(), events)
                .start();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "processor";
        }
    }
}
