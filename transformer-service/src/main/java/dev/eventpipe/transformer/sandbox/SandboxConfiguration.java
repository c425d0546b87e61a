package dev.eventpipe.transformer.sandbox;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SandboxConfiguration {
    private static final Logger log = LoggerFactory.getLogger(SandboxConfiguration.class);

    @Bean(destroyMethod = "close")
    JsEngine jsEngine(SandboxProperties properties) {
        JsEngine engine = new JsEngine(properties);
        log.atInfo()
                .addKeyValue("runtime", engine.implementationName())
                .addKeyValue("optimizing", engine.optimizing())
                .log("GraalJS engine started: {}", engine.implementationName());
        if (!engine.optimizing()) {
            log.atWarn()
                    .log("GraalJS runs on the fallback interpreter; start the JVM with the flags of jvm-flags.txt"
                            + " for the optimizing JIT");
        }
        return engine;
    }

    /** The production pool: transformations and destination modules, each in contexts of their own realm. */
    @Bean(destroyMethod = "close")
    ContextPool contextPool(JsEngine engine, MeterRegistry metrics) {
        SandboxProperties properties = engine.properties();
        ContextPool pool = ContextPool.sharing(engine, properties.effectivePoolSize(), properties.idleContexts(), "js");
        Gauge.builder("transformer.contexts.idle", pool, ContextPool::idle).register(metrics);
        Gauge.builder("transformer.tasks.queued", pool, ContextPool::queued).register(metrics);
        FunctionCounter.builder("transformer.contexts.created", pool, ContextPool::contextsCreated)
                .description("script contexts created (one per transformation version in use, and for destinations)")
                .register(metrics);
        FunctionCounter.builder("transformer.calls.stopped", pool, ContextPool::stoppedCalls)
                .description("script calls stopped by the wall-clock limit or the heap guard")
                .register(metrics);
        return pool;
    }
}
