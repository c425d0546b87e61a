package dev.eventpipe.warehouse;

import dev.eventpipe.model.web.DataPlaneApiFilters;
import dev.eventpipe.model.web.DataPlaneApiFilters.WorkspaceExemptions;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * This API's filters (common-model {@link DataPlaneApiFilters}): every route but {@code /health} and
 * {@code /health/live} answers only callers holding {@code SERVICE_TOKEN}; every {@code /api} call names its one
 * workspace, but for the route below; bodies past {@code api.max-request-body} are refused.
 */
@Configuration(proxyBeanMethods = false)
@Import(DataPlaneApiFilters.class)
class ServiceAuthConfiguration {
    @Bean
    WorkspaceExemptions workspaceExemptions() {
        // an operator's "write every pending archive file now" (tests, maintenance): the installation's, no
        // tenant's data is read or answered, and the relay does not forward it
        return new WorkspaceExemptions(Set.of("POST /api/v1/warehouse/archive/flush"));
    }
}
