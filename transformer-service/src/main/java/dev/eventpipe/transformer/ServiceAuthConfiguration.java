package dev.eventpipe.transformer;

import dev.eventpipe.model.auth.ServiceTokenFilter;
import dev.eventpipe.model.web.DataPlaneApiFilters;
import dev.eventpipe.model.web.RequestBodyLimitFilter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Every route but {@code /health} and {@code /health/live} answers only callers holding {@code SERVICE_TOKEN};
 * bodies past {@code transformer.max-request-body} are refused. The same filters as the data-plane APIs' (common-model
 * {@link DataPlaneApiFilters}), without the workspace scope: the transformer's routes carry events, not a tenant's
 * stored rows, and each event names its own workspace.
 */
@Configuration(proxyBeanMethods = false)
class ServiceAuthConfiguration {
    @Bean
    FilterRegistrationBean<ServiceTokenFilter> serviceTokenFilter(Environment environment) {
        return DataPlaneApiFilters.serviceToken(environment);
    }

    /**
     * A body larger than {@code transformer.max-request-body} ({@code TRANSFORMER_MAX_REQUEST_BODY}, default 200MB)
     * is answered 413 before it is parsed: the processor's and router's batches, bounded by their own settings, stay
     * far below the default.
     */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(
            @Value("${transformer.max-request-body:200MB}") DataSize maxRequestBody) {
        return DataPlaneApiFilters.bodyLimit(
                maxRequestBody, "transformer.max-request-body (TRANSFORMER_MAX_REQUEST_BODY)");
    }
}
