package dev.eventpipe.processor;

import static dev.eventpipe.processor.TestWorkspace.source;
import static dev.eventpipe.processor.TestWorkspace.webhook;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventpipe.jobsdb.JobsDbSettings;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.processor.config.ProcessorSchema;
import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The setup the processor's integration tests share, closed after each test: a new database and the test's own pool
 * on it (a pool left open per test exhausts the server's slots). {@link #schema()} adds the processor's own tables,
 * for tests of one repository; {@link #loop()} adds the opened queues, a {@link StubTransformer} and a workspace
 * config with source {@code src-1} (write key {@code wk-1}) and webhook {@code d-1}, for tests that start whole
 * processors ({@link #processor}), which {@link #close} closes first.
 */
public final class TestBed implements AutoCloseable {
    private final TestPostgres.Database db;
    private final HikariDataSource dataSource;
    private final @Nullable StubTransformer transformer;
    private final @Nullable Path config;
    private final @Nullable JobsDbs jobsDbs;
    private final List<ConfigurableApplicationContext> started = new ArrayList<>();

    private TestBed(boolean loop) {
        db = TestPostgres.newDatabase();
        dataSource = DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .url(db.url())
                .username(db.user())
                .password(db.password())
                .build();
        if (!loop) {
            new ProcessorSchema(dataSource);
            transformer = null;
            config = null;
            jobsDbs = null;
            return;
        }
        try {
            transformer = new StubTransformer();
        } catch (IOException e) {
            dataSource.close();
            throw new UncheckedIOException(e);
        }
        config = TestWorkspace.write(source("src-1", "wk-1", webhook("d-1", "")));
        jobsDbs = JobsDbs.open(dataSource, JobsDbSettings.defaults());
    }

    /** A new database with the processor's tables ({@code proc_stats}, {@code proc_dedup_ids}). */
    public static TestBed schema() {
        return new TestBed(false);
    }

    /** A new database with the queues opened, a stub transformer and a workspace config, for whole processors. */
    public static TestBed loop() {
        return new TestBed(true);
    }

    public TestPostgres.Database db() {
        return db;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    public StubTransformer transformer() {
        return require(transformer);
    }

    public Path config() {
        return require(config);
    }

    public JobsDbs jobsDbs() {
        return require(jobsDbs);
    }

    public QueueRows rows() {
        return new QueueRows(dataSource);
    }

    /** A processor application on this database, transformer and config (see {@link Processors#start}). */
    public ConfigurableApplicationContext processor(String holder, String... extra) {
        return processor(List.of(), holder, extra);
    }

    /** As {@link #processor(String, String...)}, with more bean sources (see {@link Processors#start}). */
    public ConfigurableApplicationContext processor(List<Class<?>> sources, String holder, String... extra) {
        ConfigurableApplicationContext c =
                Processors.start(sources, db, transformer().url(), config(), holder, extra);
        started.add(c);
        return c;
    }

    /** {@link GwJobs#interleaved} events of source {@code src-1}, stored; their gw job ids. */
    public List<Long> storeInterleaved(int users, int perUser) {
        return GwJobs.interleaved("src-1", "wk-1", users, perUser).store(jobsDbs());
    }

    /** {@link QueueRows#assertOncePerMessageInOrder} for source {@code src-1}. */
    public List<QueueRows.Rt> assertOncePerMessageInOrder(int users) {
        return rows().assertOncePerMessageInOrder("src-1", users);
    }

    @Override
    public void close() {
        started.forEach(ConfigurableApplicationContext::close);
        if (transformer != null) transformer.close();
        dataSource.close();
    }

    private static <T> T require(@Nullable T part) {
        if (part == null) throw new IllegalStateException("not part of a schema-only test bed: use TestBed.loop()");
        return part;
    }
}
