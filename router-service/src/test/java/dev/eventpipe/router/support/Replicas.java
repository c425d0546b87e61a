package dev.eventpipe.router.support;

import dev.eventpipe.router.RouterApplication;
import dev.eventpipe.testkit.TestPostgres;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts router replicas in this JVM on one test database: short leases (2 s), fast polls and backoff. A replica
 * killed with {@code kill -9} needs a process of its own: see system-tests' {@code RouterFailuresIT}.
 */
public final class Replicas {
    private Replicas() {}

    public static ConfigurableApplicationContext start(TestPostgres.Database db, Path config, String name) {
        return start(db, config, name, true);
    }

    /** {@code routing} false starts the application without the router running (its APIs and database only). */
    public static ConfigurableApplicationContext start(
            TestPostgres.Database db, Path config, String name, boolean routing) {
        return start(db, config, name, Map.of("router.enabled", routing));
    }

    /** A replica with {@code settings} on top of the usual test settings (e.g. {@code router.defaults.workers}). */
    public static ConfigurableApplicationContext start(
            TestPostgres.Database db, Path config, String name, Map<String, Object> settings) {
        return start(db, config, name, settings, new ApplicationContextInitializer<?>[0]);
    }

    /** As above, with initializers run before the context's beans are made (e.g. to wrap the DataSource). */
    public static ConfigurableApplicationContext start(
            TestPostgres.Database db,
            Path config,
            String name,
            Map<String, Object> settings,
            ApplicationContextInitializer<?>... initializers) {
        Map<String, Object> p = new HashMap<>();
        p.put("spring.datasource.url", db.url());
        p.put("spring.datasource.username", db.user());
        p.put("spring.datasource.password", db.password());
        p.put("workspace-config.path", config.toString());
        p.put("router.instance-id", name);
        p.put("router.lease-ttl", "2s");
        p.put("router.poll-interval", "50ms");
        p.put("router.max-status-update-wait", "20ms");
        p.put("router.defaults.min-backoff", "100ms");
        p.put("router.defaults.max-backoff", "400ms");
        p.putAll(settings);
        // as command-line arguments: default properties rank below jobsdb's JOBS_DB_* defaults
        String[] args = p.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(RouterApplication.class)
                .web(WebApplicationType.NONE)
                .initializers(initializers)
                .run(args);
    }
}
