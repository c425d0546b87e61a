package dev.eventpipe.router.delivery;

import dev.eventpipe.model.egress.EgressPolicy;
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
 * {@code EGRESS_INTERNAL_HOSTS}). The suite's own services it protects are the names and {@code host:port} entries
 * listed in {@code internal-hosts} plus the endpoints this router talks to: the jobs database
 * ({@code spring.datasource.url}), the transformer, the config backend, and its own port; only an exact
 * {@code host:port} entry of {@code EGRESS_ALLOW} opens one of them, never a CIDR (common-model {@code EgressPolicy}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EgressConfiguration.EgressProperties.class)
class EgressConfiguration {

    /**
     * @param allow comma-separated CIDRs and {@code host:port} entries a destination may reach despite the policy
     * @param denyPrivate refuse RFC 1918 and ULA addresses too
     * @param internalHosts more of the suite's services: names, addresses, CIDRs (every port) and {@code host:port}
     */
    @ConfigurationProperties("egress")
    record EgressProperties(
            @DefaultValue("") String allow,
            @DefaultValue("false") boolean denyPrivate,
            @DefaultValue List<String> internalHosts) {}

    @Bean
    EgressPolicy egressPolicy(EgressProperties properties, Environment env) {
        return EgressPolicy.of(properties.allow(), properties.denyPrivate(), properties.internalHosts(), services(env));
    }

    /** The URLs of the suite's services this router talks to, its own included. */
    static List<String> services(Environment env) {
        List<String> urls = new ArrayList<>();
        urls.add(env.getProperty("spring.datasource.url", ""));
        urls.add(env.getProperty("router.transformer.url", "http://127.0.0.1:9090"));
        urls.add(env.getProperty("workspace-config.backend-url", "http://127.0.0.1:5000"));
        int own = env.getProperty("server.port", Integer.class, 0);
        if (own > 0) urls.add("http://127.0.0.1:" + own);
        return urls;
    }
}
