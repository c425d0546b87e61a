package dev.eventpipe.warehouse.config;

import dev.eventpipe.model.egress.EgressPolicy;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The egress policy of warehouse connections, from {@code egress.*} ({@code EGRESS_ALLOW}, {@code EGRESS_DENY_PRIVATE},
 * {@code EGRESS_INTERNAL_HOSTS}), as the router's for deliveries: a POSTGRES destination's host is a tenant's choice,
 * so loopback, link-local (cloud metadata), this machine's and the suite's own addresses are refused unless
 * {@code EGRESS_ALLOW} lists them. The suite's own services (the jobs database from {@code spring.datasource.url},
 * the config backend, the transformer, this service's own port, plus {@code internal-hosts}) are opened only by an
 * entry naming exactly their {@code host:port}, never by a CIDR: {@code EGRESS_ALLOW=127.0.0.1/32} does not hand the
 * jobs database to a tenant.
 */
@Configuration(proxyBeanMethods = false)
public class WarehouseEgress {

    @Bean
    EgressPolicy warehouseEgressPolicy(
            @Value("${egress.allow:}") String allow,
            @Value("${egress.deny-private:false}") boolean denyPrivate,
            @Value("${egress.internal-hosts:}") String internalHosts,
            Environment env) {
        return policy(allow, denyPrivate, internalHosts, env);
    }

    private static EgressPolicy policy(String allow, boolean denyPrivate, String internalHosts, Environment env) {
        List<String> internal = new ArrayList<>();
        for (String name : internalHosts.split(",")) if (!name.isBlank()) internal.add(name.strip());
        List<String> services = new ArrayList<>();
        services.add(env.getProperty("spring.datasource.url", ""));
        services.add(env.getProperty("workspace-config.backend-url", "http://127.0.0.1:5000"));
        services.add(env.getProperty("DEST_TRANSFORM_URL", ""));
        int own = env.getProperty("server.port", Integer.class, 0);
        if (own > 0) services.add("http://127.0.0.1:" + own);
        return EgressPolicy.of(allow, denyPrivate, internal, services);
    }
}
