package dev.eventpipe.processor;

import dev.eventpipe.jobsdb.PartitionLeases;
import dev.eventpipe.testkit.TestPostgres;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Starts whole processor applications (random port) on one test database, as separate replicas or runs. */
final class Processors {
    static final String WEBHOOK_IN_PROCESS = "processor.transformer.webhook-in-process";

    private Processors() {}

    static ConfigurableApplicationContext start(
            TestPostgres.Database db, String transformerUrl, Path config, String holder, String... extra) {
        return start(List.of(), db, transformerUrl, config, holder, extra);
    }

    /**
     * As {@link #start(TestPostgres.Database, String, Path, String, String...)}, with more bean sources: plain
     * classes with {@code @Bean} methods (never {@code @Configuration}: the application's component scan would pick
     * those up in every test).
     */
    static ConfigurableApplicationContext start(
            List<Class<?>> sources,
            TestPostgres.Database db,
            String transformerUrl,
            Path config,
            String holder,
            String... extra) {
        List<String> properties = new ArrayList<>(List.of(
                "server.port=0",
                "spring.datasource.url=" + db.url(),
                "spring.datasource.username=" + db.user(),
                "spring.datasource.password=" + db.password(),
                "processor.transformer.url=" + transformerUrl,
                "processor.transformer.max-backoff=500ms",
                "workspace-config.path=" + config,
                "processor.leases.ttl=2s",
                "processor.leases.holder=" + holder,
                "processor.idle-sleep=20ms",
                // no safety net: a job skipped by the cursor must fail the test, not be found 30 s later
                "processor.cursor-rescan-interval=1h",
                // Every test starting whole processors here scripts the pipeline through the StubTransformer
                // (outages, holds, delays, an answer too deep to read) on WEBHOOK destinations: with the default
                // in-process WEBHOOK envelope those events would never reach it, so these keep WEBHOOK on the
                // transformer unless told otherwise.
                WEBHOOK_IN_PROCESS + "=false"));
        // a setting in extra replaces the one above (given twice, Spring would join the two values with a comma)
        properties.removeIf(p -> Stream.of(extra).anyMatch(e -> key(e).equals(key(p))));
        properties.addAll(List.of(extra));
        // as command-line arguments: they outrank the JOBS_DB_* defaults that jobsdb adds to the environment
        return new SpringApplicationBuilder(ProcessorApplication.class)
                .sources(sources.toArray(Class<?>[]::new))
                .run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
    }

    private static String key(String property) {
        return property.substring(0, property.indexOf('='));
    }

    /**
     * As a killed process: its lease rows are handed to a holder name nobody renews, so they stay until they expire
     * (the survivor takes them over only then, as after a {@code kill -9}), and nothing the process still had in
     * flight can commit or reset its jobs (each commit's lease check fails); then the application is closed. Done
     * in the database rather than through a hook in {@link PartitionLeases}.
     */
    static void kill(ConfigurableApplicationContext context) {
        JdbcClient.create(context.getBean(DataSource.class))
                .sql("UPDATE jobsdb_partition_leases SET holder = holder || ' (killed)' WHERE holder = :holder")
                .param("holder", context.getBean(PartitionLeases.class).holder())
                .update();
        context.close();
    }

    static int owned(ConfigurableApplicationContext context) {
        return context.getBean(PartitionLeases.class).owned().size();
    }

    /** {@code processor.batches{result}}: batches that went this way (abandoned, transformer, dedup_overlap...). */
    static double batches(ConfigurableApplicationContext context, String result) {
        Counter c = context.getBean(MeterRegistry.class)
                .find("processor.batches")
                .tag("result", result)
                .counter();
        return c == null ? 0 : c.count();
    }

    /** Batches fetched and not yet committed or dropped ({@code processor.pipeline.batches.in.flight}). */
    static double batchesInFlight(ConfigurableApplicationContext context) {
        return context.getBean(MeterRegistry.class)
                .get("processor.pipeline.batches.in.flight")
                .gauge()
                .value();
    }
}
