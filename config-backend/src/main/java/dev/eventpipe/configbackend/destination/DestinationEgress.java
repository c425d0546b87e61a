package dev.eventpipe.configbackend.destination;

import dev.eventpipe.model.egress.EgressPolicy;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The egress policy destination URLs and warehouse hosts are checked against when saved: the router's and the
 * warehouse's, from the same variables ({@code egress.*}), and the same jobs database ({@code spring.datasource.url},
 * which only an {@code EGRESS_ALLOW} entry naming its exact {@code host:port} opens).
 */
@Configuration(proxyBeanMethods = false)
class DestinationEgress {

    @Bean
    EgressPolicy destinationEgressPolicy(
            @Value("${egress.allow:}") String allow,
            @Value("${egress.deny-private:false}") boolean denyPrivate,
            @Value("${egress.internal-hosts:}") String internalHosts,
            @Value("${spring.datasource.url:}") String jobsDatabase) {
        return EgressPolicy.of(allow, denyPrivate, Arrays.asList(internalHosts.split(",")), List.of(jobsDatabase));
    }
}
