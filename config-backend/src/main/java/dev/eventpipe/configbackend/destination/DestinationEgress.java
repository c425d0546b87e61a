package dev.eventpipe.configbackend.destination;

import dev.eventpipe.model.egress.EgressPolicy;
import java.util.Arrays;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The egress policy destination URLs are checked against: the router's, from the same variables ({@code egress.*}). */
@Configuration(proxyBeanMethods = false)
class DestinationEgress {

    @Bean
    EgressPolicy destinationEgressPolicy(
            @Value("${egress.allow:}") String allow,
            @Value("${egress.deny-private:false}") boolean denyPrivate,
            @Value("${egress.internal-hosts:}") String internalHosts) {
        return EgressPolicy.of(allow, denyPrivate, Arrays.asList(internalHosts.split(",")));
    }
}
