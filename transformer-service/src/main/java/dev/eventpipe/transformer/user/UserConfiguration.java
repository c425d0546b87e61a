package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.sandbox.ContextPool;
import dev.eventpipe.transformer.sandbox.JsEngine;
import dev.eventpipe.transformer.sandbox.SandboxProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class UserConfiguration {
    @Bean
    CodeStore codeStore(ConfigBackendProperties properties, SandboxProperties sandbox, JsonMapper json) {
        return new CodeStore(properties, sandbox.codeCacheSize(), json);
    }

    /** Closing it stops its "alone" script thread (transformations that filled the heap run there). */
    @Bean(destroyMethod = "close")
    UserTransformer userTransformer(ContextPool pool, CodeStore codes, JsonMapper json, MeterRegistry metrics) {
        return new UserTransformer(pool, codes, json, metrics);
    }

    /** Code tests run on script threads of their own; their contexts are never kept. */
    @Bean(destroyMethod = "close")
    TransformationTester transformationTester(JsEngine engine, JsonMapper json) {
        return new TransformationTester(
                ContextPool.sharing(engine, engine.properties().testPoolSize(), 0, "js-test"), json);
    }
}
