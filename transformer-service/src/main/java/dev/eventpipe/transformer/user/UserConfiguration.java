package dev.eventpipe.transformer.user;

import dev.eventpipe.transformer.sandbox.ContextPool;
import dev.eventpipe.transformer.sandbox.JsEngine;
import dev.eventpipe.transformer.sandbox.SandboxProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class UserConfiguration {
    @Bean
    CodeStore codeStore(ConfigBackendProperties properties, SandboxProperties sandbox, JsonMapper json) {
        return new CodeStore(properties, sandbox.codeCacheSize(), json);
    }

    /**
     * The shared transformer's children, one per struck version (none in a child itself: its version property is
     * hex, so the expression cannot be broken by a version id). Closing ends them all.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${transformer.isolation.version:}'.isEmpty()")
    VersionProcesses versionProcesses(
            IsolationProperties isolation,
            SandboxProperties sandbox,
            ConfigBackendProperties backend,
            @Value("${transformer.max-request-body:200MB}") DataSize maxRequestBody,
            JsonMapper json,
            MeterRegistry metrics) {
        return VersionProcesses.of(isolation, sandbox, backend, maxRequestBody, json, metrics);
    }

    /** In the shared transformer: struck versions run in their own processes; in a child: its one version only. */
    @Bean(destroyMethod = "close")
    UserTransformer userTransformer(
            ContextPool pool,
            CodeStore codes,
            JsonMapper json,
            MeterRegistry metrics,
            IsolationProperties isolation,
            ObjectProvider<VersionProcesses> processes) {
        return isolation.child()
                ? UserTransformer.ownProcess(pool, codes, json, metrics, isolation.ownVersion())
                : new UserTransformer(pool, codes, json, metrics, processes.getObject());
    }

    /** Code tests run on script threads of their own; their contexts are never kept. */
    @Bean(destroyMethod = "close")
    TransformationTester transformationTester(JsEngine engine, JsonMapper json) {
        return new TransformationTester(
                ContextPool.sharing(engine, engine.properties().testPoolSize(), 0, "js-test"), json);
    }
}
