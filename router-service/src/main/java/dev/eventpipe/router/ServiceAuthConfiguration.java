package dev.eventpipe.router;

import dev.eventpipe.model.auth.ServiceToken;
import dev.eventpipe.model.auth.ServiceTokenFilter;
import dev.eventpipe.model.auth.WorkspaceScopeFilter;
import dev.eventpipe.model.web.RequestBodyLimitFilter;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

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

    /**
     * A body larger than {@code api.max-request-body} ({@code API_MAX_REQUEST_BODY}, default 1MB) is answered 413
     * before it is parsed: this API's bodies are small (a replay of 10,000 job ids is about 150 KB).
     */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(
            @Value("${api.max-request-body:1MB}") DataSize maxRequestBody) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestBodyLimitFilter(maxRequestBody.toBytes(), "api.max-request-body (API_MAX_REQUEST_BODY)"));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }
}
