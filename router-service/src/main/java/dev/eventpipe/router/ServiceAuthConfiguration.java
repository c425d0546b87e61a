package dev.eventpipe.router;

import dev.eventpipe.model.auth.ServiceToken;
import dev.eventpipe.model.auth.ServiceTokenFilter;
import dev.eventpipe.model.auth.WorkspaceScopeFilter;
import java.util.Set;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/** Every route but {@code /health} and {@code /health/live} answers only callers holding {@code SERVICE_TOKEN}. */
@Configuration(proxyBeanMethods = false)
class ServiceAuthConfiguration {
    @Bean
    FilterRegistrationBean<ServiceTokenFilter> serviceTokenFilter(Environment environment) {
        FilterRegistrationBean<ServiceTokenFilter> registration = new FilterRegistrationBean<>(
                new ServiceTokenFilter(ServiceToken.of(environment.getProperty(ServiceToken.ENV))));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Every {@code /api} call names the one workspace it is about (after the token check): 400 otherwise. */
    @Bean
    FilterRegistrationBean<WorkspaceScopeFilter> workspaceScopeFilter() {
        FilterRegistrationBean<WorkspaceScopeFilter> registration =
                new FilterRegistrationBean<>(new WorkspaceScopeFilter(Set.of()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
