package dev.eventpipe.model.web;

import dev.eventpipe.model.auth.ServiceToken;
import dev.eventpipe.model.auth.ServiceTokenFilter;
import dev.eventpipe.model.auth.WorkspaceScopeFilter;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * The filters in front of a data-plane service's routes (processor, router, warehouse service), in the order they
 * run: the service token (401 without {@code SERVICE_TOKEN}, except {@code /health} and {@code /health/live}), the
 * workspace scope (400 for an {@code /api} call that names no single workspace), the body limit (413 past
 * {@code api.max-request-body}). A service imports this configuration ({@code @Import}) and may declare a
 * {@link WorkspaceExemptions} bean for its installation-wide routes.
 */
@Configuration(proxyBeanMethods = false)
public class DataPlaneApiFilters {

    /** Routes under {@code /api} that need no workspace, as {@code "POST /api/v1/..."}; none unless declared. */
    public record WorkspaceExemptions(Set<String> routes) {
        public WorkspaceExemptions {
            routes = Set.copyOf(routes);
        }
    }

    /** First of all filters, so nothing else sees a caller without the token. */
    public static FilterRegistrationBean<ServiceTokenFilter> serviceToken(Environment environment) {
        FilterRegistrationBean<ServiceTokenFilter> registration = new FilterRegistrationBean<>(
                new ServiceTokenFilter(ServiceToken.of(environment.getProperty(ServiceToken.ENV))));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** After the token and the workspace scope, before anything parses the body. */
    public static FilterRegistrationBean<RequestBodyLimitFilter> bodyLimit(DataSize maxRequestBody, String setting) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(maxRequestBody.toBytes(), setting));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ServiceTokenFilter> serviceTokenFilter(Environment environment) {
        return serviceToken(environment);
    }

    @Bean
    FilterRegistrationBean<WorkspaceScopeFilter> workspaceScopeFilter(ObjectProvider<WorkspaceExemptions> exemptions) {
        FilterRegistrationBean<WorkspaceScopeFilter> registration =
                new FilterRegistrationBean<>(new WorkspaceScopeFilter(exemptions
                        .getIfAvailable(() -> new WorkspaceExemptions(Set.of()))
                        .routes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /**
     * {@code api.max-request-body} ({@code API_MAX_REQUEST_BODY}, default 1MB): these APIs' bodies are small (a
     * replay of 10,000 job ids is about 150 KB).
     */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(
            @Value("${api.max-request-body:1MB}") DataSize maxRequestBody) {
        return bodyLimit(maxRequestBody, "api.max-request-body (API_MAX_REQUEST_BODY)");
    }
}
