package dev.eventpipe.transformer;

import dev.eventpipe.model.auth.ServiceToken;
import dev.eventpipe.model.auth.ServiceTokenFilter;
import dev.eventpipe.model.web.RequestBodyLimitFilter;
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

    /**
     * A body larger than {@code transformer.max-request-body} ({@code TRANSFORMER_MAX_REQUEST_BODY}, default 200MB)
     * is answered 413 before it is parsed: the processor's and router's batches, bounded by their own settings, stay
     * far below the default.
     */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(
            @Value("${transformer.max-request-body:200MB}") DataSize maxRequestBody) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(
                        maxRequestBody.toBytes(), "transformer.max-request-body (TRANSFORMER_MAX_REQUEST_BODY)"));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }
}
