package dev.eventpipe.gateway.web;

import dev.eventpipe.model.auth.ServiceToken;
import dev.eventpipe.model.auth.ServiceTokenFilter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The gateway faces the internet, its metrics do not (review P2-7): {@code /actuator/**} answers only callers holding
 * {@code SERVICE_TOKEN}, like the other services' metrics (the scraper sends it as a bearer token). Probes use
 * {@code /health} and {@code /health/live}, which stay open; the ingestion routes are untouched.
 */
@Configuration(proxyBeanMethods = false)
class MetricsAuthConfiguration {
    @Bean
    FilterRegistrationBean<ServiceTokenFilter> metricsTokenFilter(Environment environment) {
        FilterRegistrationBean<ServiceTokenFilter> registration = new FilterRegistrationBean<>(
                new ServiceTokenFilter(ServiceToken.of(environment.getProperty(ServiceToken.ENV))));
        registration.addUrlPatterns("/actuator/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
