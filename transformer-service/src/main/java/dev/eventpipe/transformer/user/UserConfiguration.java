package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.sandbox.ContextPool;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class UserConfiguration {
    @Bean
    CodeStore codeStore(ConfigBackendProperties properties, JsonMapper json) {
        return new CodeStore(properties, json);
    }

    @Bean
    UserTransformer userTransformer(ContextPool pool, CodeStore codes, JsonMapper json, MeterRegistry metrics) {
        return new UserTransformer(pool, codes, json, metrics);
    }

    @Bean
    TransformationTester transformationTester(ContextPool pool, JsonMapper json) {
        return new TransformationTester(pool, json);
    }
}
