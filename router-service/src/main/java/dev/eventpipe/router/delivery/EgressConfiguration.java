package dev.eventpipe.router.delivery;

import dev.eventpipe.model.egress.EgressPolicy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The egress policy of deliveries, from {@code egress.*} ({@code EGRESS_ALLOW}, {@code EGRESS_DENY_PRIVATE},
 * {@code EGRESS_INTERNAL_HOSTS}). The suite's own services it protects are the ones this router talks to (the
 * transformer, the config backend, the database) plus the names listed in {@code internal-hosts}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EgressConfiguration.EgressProperties.class)
class EgressConfiguration {

    /**
     * @param allow comma-separated CIDRs and {@code host:port} entries a destination may reach despite the policy
     * @param denyPrivate refuse RFC 1918 and ULA addresses too
     * @param internalHosts more of the suite's services (names, addresses, CIDRs), refused on every port
     */
    @ConfigurationProperties("egress")
    record EgressProperties(
            @DefaultValue("") String allow,
            @DefaultValue("false") boolean denyPrivate,
            @DefaultValue List<String> internalHosts) {}

    @Bean
    EgressPolicy egressPolicy(EgressProperties properties, Environment env) {
        List<String> internal = new ArrayList<>(properties.internalHosts());
        for (String key : List.of("router.transformer.url", "workspace-config.backend-url", "spring.datasource.url")) {
            String host = host(env.getProperty(key, ""));
            if (!host.isEmpty()) internal.add(host);
        }
        return EgressPolicy.of(properties.allow(), properties.denyPrivate(), internal);
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
