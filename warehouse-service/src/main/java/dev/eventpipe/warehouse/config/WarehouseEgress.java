package dev.eventpipe.warehouse.config;

import dev.eventpipe.model.egress.EgressPolicy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The egress policy of warehouse connections, from {@code egress.*} ({@code EGRESS_ALLOW}, {@code EGRESS_DENY_PRIVATE},
 * {@code EGRESS_INTERNAL_HOSTS}), as the router's for deliveries: a POSTGRES destination's host is a tenant's choice,
 * so loopback, link-local (cloud metadata), this machine's and the suite's own addresses (the job database, the
 * config backend, the transformer, plus {@code internal-hosts}) are refused unless {@code EGRESS_ALLOW} lists them.
 */
@Configuration(proxyBeanMethods = false)
class WarehouseEgress {

    @Bean
    EgressPolicy warehouseEgressPolicy(
            @Value("${egress.allow:}") String allow,
            @Value("${egress.deny-private:false}") boolean denyPrivate,
            @Value("${egress.internal-hosts:}") String internalHosts,
            Environment env) {
        List<String> internal = new ArrayList<>();
        for (String name : internalHosts.split(",")) if (!name.isBlank()) internal.add(name.strip());
        for (String key : List.of("workspace-config.backend-url", "spring.datasource.url", "DEST_TRANSFORM_URL")) {
            String host = host(env.getProperty(key, ""));
            if (!host.isEmpty()) internal.add(host);
        }
        return EgressPolicy.of(allow, denyPrivate, internal);
    }

    private static String host(String url) {
        try {
            String u = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
            String host = URI.create(u).getHost();
            return host == null ? "" : host;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
