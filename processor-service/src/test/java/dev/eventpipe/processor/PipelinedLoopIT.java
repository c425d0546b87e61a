package dev.eventpipe.processor;

import static dev.eventpipe.processor.TestWorkspace.source;
import static dev.eventpipe.processor.TestWorkspace.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventpipe.jobsdb.JobsDbSettings;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.testkit.TestPostgres;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pipelined loop (fetch, stages and store of different batches overlapping) keeps the serial loop's promises:
 * batches commit in fetch order even when an earlier one has to be retried, and an id accepted by a batch whose
 * dedup read ran before an earlier batch committed that id is caught before commit.
 */
class PipelinedLoopIT {
    TestPostgres.Database db;
    StubTransformer transformer;
    Path config;
    JobsDbs jobsDbs;
    QueueRows rows;
    /** The test's own pool, closed after each test (a pool left open per test exhausts the server's slots). */
    HikariDataSource dataSource;

    ConfigurableApplicationContext processor;

    @BeforeEach
    void setUp() throws Exception {
        db = TestPostgres.newDatabase();
        transformer = new StubTransformer();
        config = TestWorkspace.write(source("src-1", "wk-1", webhook("d-1", "")));
        dataSource = DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .url(db.url())
                .username(db.user())
                .password(db.password())
                .build();
        jobsDbs = JobsDbs.open(dataSource, JobsDbSettings.defaults());
        rows = new QueueRows(dataSource);
    }

    @AfterEach
    void tearDown() {
        if (processor != null) processor.close();
        transformer.close();
        dataSource.close();
    }

    private void start() {
        processor = Processors.start(
                db,
                transformer.url(),
                config,
                "pipelined",
                "processor.batch.max-jobs=10",
                "processor.pipeline.max-batches-in-flight=4",
                "processor.pipeline.transform-threads=2",
                "processor.transformer.min-backoff=50ms");
    }

    private double batches(String result) {
        Counter c = processor
                .getBean(MeterRegistry.class)
                .find("processor.batches")
                .tag("result", result)
                .counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void batchesCommitInFetchOrderWhileEarlierOnesAreRetried() {
        transformer.delay(20); // each batch spends a while in the transformer, so the next ones are fetched meanwhile
        transformer.failNext(6, 503);
        start();
        int users = 12;
        int perUser = 25; // 300 jobs, 30 batches of 10
        GwJobs jobs = GwJobs.create();
        for (int seq = 0; seq < perUser; seq++)
            for (int u = 0; u < users; u++) {
                ObjectNode e = GwJobs.track("user-" + u, "step");
                e.putObject("properties").put("seq", seq);
                jobs.add("src-1", "wk-1", e);
            }
        jobs.store(jobsDbs);

        await().atMost(Duration.ofSeconds(60)).until(() -> rows.rtCount("src-1") >= users * perUser);
        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(5))
                .until(() -> rows.rtCount("src-1") == users * perUser);
        List<QueueRows.Rt> rt = rows.rt("src-1");
        assertThat(rt.stream().map(r -> r.parameters().path("message_id").asString()))
                .doesNotHaveDuplicates();
        Map<String, Integer> last = new HashMap<>();
        for (QueueRows.Rt r : rt) {
            int seq = r.payload()
                    .path("body")
                    .path("JSON")
                    .path("properties")
                    .path("seq")
                    .asInt();
            Integer previous = last.put(r.userId(), seq);
            assertThat(seq).as("order of %s", r.userId()).isEqualTo(previous == null ? 0 : previous + 1);
        }
        assertThat(last).hasSize(users);
        assertThat(batches("transformer")).isPositive(); // the scripted outage did hit batches and was retried
        assertThat(rows.gwInState("succeeded")).isEqualTo(users * perUser);
    }

    @Test
    void anIdCommittedByAnEarlierBatchInFlightIsADuplicateInTheLaterOne() {
        transformer.hold();
        ObjectNode original = GwJobs.track("anon-a", "Signed Up");
        GwJobs jobs = GwJobs.create();
        jobs.add("src-1", "wk-1", original); // batch A: the id, then 9 other events
        for (int i = 1; i < 10; i++) jobs.add("src-1", "wk-1", GwJobs.track("anon-" + i, "a"));
        jobs.add("src-1", "wk-1", original.deepCopy()); // batch B: the same id again (a client's retry), then 9 more
        for (int i = 11; i < 20; i++) jobs.add("src-1", "wk-1", GwJobs.track("anon-" + i, "b"));
        List<Long> ids = jobs.store(jobsDbs);
        start();
        // both batches are in flight, each held in the transformer after its dedup read, while nothing is
        // committed: B's read could not see A's id
        await().atMost(Duration.ofSeconds(20)).until(() -> transformer.held() == 2);
        transformer.release();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> rows.gw(ids.get(19)).state() != null
                        && !"executing".equals(rows.gw(ids.get(19)).state()));
        assertThat(rows.rtCount("src-1")).isEqualTo(19);
        assertThat(rows.gw(ids.get(0)).state()).isEqualTo("succeeded");
        assertThat(rows.gw(ids.get(10)).state()).isEqualTo("filtered");
        assertThat(rows.gw(ids.get(10)).errorResponse().path("reason").asString())
                .isEqualTo("duplicate messageId");
        // caught before B's commit by the ids A committed, not left to the claim (which an hour boundary defeats)
        assertThat(batches("dedup_overlap")).isPositive();
    }
}
