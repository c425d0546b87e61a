package dev.eventpipe.transformer.destination;

import dev.eventpipe.transformer.sandbox.ContextPool;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class DestinationConfiguration {
    @Bean
    DestinationCatalog destinationCatalog(JsonMapper json) {
        return new DestinationCatalog(json);
    }

    @Bean
    DestinationTransformer destinationTransformer(
            ContextPool pool, DestinationCatalog catalog, JsonMapper json, MeterRegistry metrics) {
        return new DestinationTransformer(pool, catalog, json, metrics);
    }
}
