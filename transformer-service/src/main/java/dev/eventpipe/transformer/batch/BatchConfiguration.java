package dev.eventpipe.transformer.batch;

import dev.eventpipe.transformer.destination.DestinationCatalog;
import dev.eventpipe.transformer.sandbox.ContextPool;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class BatchConfiguration {
    @Bean
    BatchTransformer batchTransformer(
            ContextPool pool, DestinationCatalog catalog, JsonMapper json, MeterRegistry metrics) {
        return new BatchTransformer(pool, catalog, json, metrics);
    }
}
