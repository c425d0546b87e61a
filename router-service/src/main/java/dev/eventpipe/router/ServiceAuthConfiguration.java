package dev.eventpipe.router;

import dev.eventpipe.model.web.DataPlaneApiFilters;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * This API's filters (common-model {@link DataPlaneApiFilters}): every route but {@code /health} and
 * {@code /health/live} answers only callers holding {@code SERVICE_TOKEN}; every {@code /api} call names its one
 * workspace; bodies past {@code api.max-request-body} are refused.
 */
@Configuration(proxyBeanMethods = false)
@Import(DataPlaneApiFilters.class)
class ServiceAuthConfiguration {}
