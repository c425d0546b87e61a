package dev.eventpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.PartitionLeases;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.processor.config.ProcessorProperties;
import dev.eventpipe.processor.partition.LeaseEvents;
import dev.eventpipe.processor.pipeline.FetchStage;
import dev.eventpipe.processor.pipeline.GwJob;
import dev.eventpipe.processor.pipeline.PipelineMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import tools.jackson.databind.JsonNode;

/**
 * Review 1100 P3-4: a failure that comes back at every fetch stopped the replica's whole pipeline in silence (one
 * failed fetch and one reset per {@code idle-sleep}, for ever, {@code /health} UP). A database error that repeats is
 * now counted, logged and shown on {@code /health}, and aborts no job; a gw job that the fetch cannot parse is
 * aborted with the reason, and the jobs fetched with it go on. A fetch that fails after reading its jobs leaves them
 * to the next fetch, in order (the fetch writes nothing, and the cursor moves only once a batch is in the pipeline).
 */
class FetchFailureIT extends TestBedCase {
    static final int USERS = 3;
    static final int PER_USER = 4;
    static final String UNPARSEABLE = "unparseable-by-the-test";
    /** While set, the test's parser fails on every job, as a parser broken by an upgrade would. */
    static final AtomicBoolean BROKEN_PARSER = new AtomicBoolean();
    /** A gw job id whose parse fails once with an error that fails the whole fetch (0: none). */
    static final AtomicLong FAIL_FETCH_ONCE_AT = new AtomicLong();
    /** While set, the fetch thread gets no database connection (see {@link FetchConnectionsRefused}). */
    static final AtomicBoolean REFUSE_FETCH = new AtomicBoolean();

    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void endTheFaults() {
        REFUSE_FETCH.set(false);
        FAIL_FETCH_ONCE_AT.set(0);
        BROKEN_PARSER.set(false);
    }

    @Test
    void aDatabaseErrorAtEveryFetchIsShownOnHealthAbortsNoJobAndTheJobsGoOnOnceItEnds() throws Exception {
        List<Long> ids = bed.storeInterleaved(USERS, PER_USER);
        REFUSE_FETCH.set(true);
        ConfigurableApplicationContext processor =
                bed.processor(List.of(FetchConnectionsRefused.class), "fetch-failing");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> health(processor).path("fetch").asString("").equals("FAILING"));
        JsonNode health = health(processor);
        assertThat(health.path("status").asString()).isEqualTo("DEGRADED");
        assertThat(health.path("loop").asString()).isEqualTo("RUNNING");
        assertThat(health.path("fetchError").asString("")).contains("SQLSTATE 57P03");
        assertThat(fetchFailures(processor)).isGreaterThanOrEqualTo(3);
        assertThat(rows.rtCount("src-1")).isZero();
        assertThat(rows.gwInState("aborted"))
                .as("a database error is not the job's fault")
                .isZero();

        REFUSE_FETCH.set(false);
        await().atMost(Duration.ofSeconds(60)).until(() -> rows.gwInState("succeeded") == ids.size());
        assertThat(bed.assertOncePerMessageInOrder(USERS)).hasSize(ids.size());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> health(processor).path("status").asString().equals("UP"));
        assertThat(health(processor).path("fetch").asString("")).isEqualTo("OK");
    }

    @Test
    void aFetchThatFailsAfterReadingItsJobsLeavesThemToTheNextFetchInOrder() throws Exception {
        List<Long> ids = bed.storeInterleaved(USERS, PER_USER); // 12 jobs: three fetches of four, each of every user
        FAIL_FETCH_ONCE_AT.set(ids.get(4)); // the second fetch reads its jobs and fails while parsing them
        ConfigurableApplicationContext processor =
                bed.processor(List.of(UnparseableJob.class), "fetch-failing-once", "processor.batch.max-jobs=4");

        await().atMost(Duration.ofSeconds(60)).until(() -> rows.gwInState("succeeded") == ids.size());
        assertThat(FAIL_FETCH_ONCE_AT.get()).as("the failure happened").isZero();
        assertThat(fetchFailures(processor)).isEqualTo(1);
        assertThat(bed.assertOncePerMessageInOrder(USERS)).hasSize(ids.size());
        assertThat(rows.gwJobsWithoutExactlyOneStatus()).isZero();
    }

    @Test
    void aGwJobTheFetchCannotParseIsAbortedWithTheReasonAndTheJobsFetchedWithItGoOn() throws Exception {
        long unparseable = GwJobs.create()
                .add("src-1", "wk-1", GwJobs.track("anon-u", UNPARSEABLE))
                .store(bed.jobsDbs())
                .getFirst();
        List<Long> ids = bed.storeInterleaved(USERS, PER_USER);
        ConfigurableApplicationContext processor = bed.processor(List.of(UnparseableJob.class), "unparseable");

        // before, the fetch of these jobs failed, was reset and failed again for ever: none was stored
        await().atMost(Duration.ofSeconds(60))
                .until(() -> rows.gwInState("succeeded") == ids.size()
                        && rows.gw(unparseable).state() != null);
        QueueRows.GwState state = rows.gw(unparseable);
        assertThat(state.state()).isEqualTo("aborted");
        assertThat(state.errorCode()).isEqualTo("400");
        assertThat(state.errorResponse().path("reason").asString())
                .isEqualTo("the job cannot be parsed: java.lang.IllegalStateException: a job no parser reads (test)");
        assertThat(bed.assertOncePerMessageInOrder(USERS)).hasSize(ids.size());
        assertThat(health(processor).path("status").asString()).isEqualTo("UP");
        assertThat(processor
                        .getBean(MeterRegistry.class)
                        .counter("processor.fetch.unparseable")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aParserThatFailsOnEveryJobOfAFetchAbortsNoneIsShownOnHealthAndTheJobsGoOnOnceItIsFixed() throws Exception {
        // review 1330 P2-1: before, the per-job net aborted every fetched job when the parser itself was broken
        BROKEN_PARSER.set(true);
        try {
            List<Long> ids = bed.storeInterleaved(USERS, PER_USER);
            ConfigurableApplicationContext processor = bed.processor(List.of(UnparseableJob.class), "parser-broken");

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> health(processor).path("fetch").asString("").equals("FAILING"));
            JsonNode health = health(processor);
            assertThat(health.path("status").asString()).isEqualTo("DEGRADED");
            assertThat(health.path("fetchError").asString("")).contains("IllegalStateException");
            assertThat(rows.gwInState("aborted"))
                    .as("a broken parser is not the jobs' fault")
                    .isZero();
            assertThat(rows.rtCount("src-1")).isZero();
            assertThat(processor
                            .getBean(MeterRegistry.class)
                            .counter("processor.fetch.unparseable")
                            .count())
                    .isZero();

            BROKEN_PARSER.set(false);
            await().atMost(Duration.ofSeconds(60)).until(() -> rows.gwInState("succeeded") == ids.size());
            assertThat(rows.gwInState("aborted")).isZero();
            assertThat(bed.assertOncePerMessageInOrder(USERS)).hasSize(ids.size());
        } finally {
            BROKEN_PARSER.set(false);
        }
    }

    private JsonNode health(ConfigurableApplicationContext processor) throws Exception {
        String port = processor.getEnvironment().getProperty("local.server.port");
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(r.body());
    }

    private static double fetchFailures(ConfigurableApplicationContext processor) {
        Counter c = processor
                .getBean(MeterRegistry.class)
                .find("processor.fetch.failures")
                .tag("step", "fetch")
                .counter();
        return c == null ? 0 : c.count();
    }

    /**
     * A bean source (not {@code @Configuration}, see {@link Processors}): the real fetch, whose parser fails on a job
     * of an event named {@link #UNPARSEABLE} (no real job is known to make {@link GwJob#parse} throw), and once on
     * the job {@link #FAIL_FETCH_ONCE_AT} with a {@link LinkageError}, which fails the whole fetch after its read.
     */
    static class UnparseableJob {
        @Bean
        @Primary
        FetchStage unparseableFetch(
                JobsDbs jobsDbs,
                PartitionLeases leases,
                LeaseEvents leaseEvents,
                ProcessorProperties properties,
                PipelineMetrics metrics) {
            return new FetchStage(jobsDbs, leases, leaseEvents, properties, metrics) {
                @Override
                protected GwJob parse(Job job) {
                    if (FAIL_FETCH_ONCE_AT.compareAndSet(job.jobId(), 0))
                        throw new NoClassDefFoundError("a class that cannot be loaded, once (test)");
                    if (BROKEN_PARSER.get()) throw new IllegalStateException("a broken parser (test)");
                    if (job.payload().contains(UNPARSEABLE))
                        throw new IllegalStateException("a job no parser reads (test)");
                    return super.parse(job);
                }
            };
        }
    }

    /**
     * A bean source: the application's DataSource, wrapped so that while {@link #REFUSE_FETCH} is set the fetch
     * thread (whose only statements are the fetch's reads) gets no connection, as from a database that refuses
     * them ({@code 57P03}, cannot connect now); every other thread works as usual.
     */
    static class FetchConnectionsRefused {
        @Bean
        static BeanPostProcessor fetchConnectionsRefusedDataSource() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof DataSource ds && !(bean instanceof Refusing) ? new Refusing(ds) : bean;
                }
            };
        }

        static final class Refusing extends DelegatingDataSource implements AutoCloseable {
            Refusing(DataSource target) {
                super(target);
            }

            @Override
            public Connection getConnection() throws SQLException {
                refuseTheFetch();
                return super.getConnection();
            }

            @Override
            public Connection getConnection(String user, String password) throws SQLException {
                refuseTheFetch();
                return super.getConnection(user, password);
            }

            private static void refuseTheFetch() throws SQLException {
                if (REFUSE_FETCH.get() && Thread.currentThread().getName().equals("processor-fetch"))
                    throw new SQLException("the database refuses the fetch's connection (test)", "57P03");
            }

            @Override
            public void close() throws Exception {
                if (getTargetDataSource() instanceof AutoCloseable pool) pool.close();
            }
        }
    }
}
