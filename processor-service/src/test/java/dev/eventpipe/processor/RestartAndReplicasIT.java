package dev.eventpipe.processor;

import static dev.eventpipe.processor.TestWorkspace.source;
import static dev.eventpipe.processor.TestWorkspace.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventpipe.jobsdb.JobsDbSettings;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.testkit.TestPostgres;
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

/** Restarts, crashes and replicas: several processor applications, one after another or side by side. */
class RestartAndReplicasIT {
    TestPostgres.Database db;
    StubTransformer transformer;
    Path config;
    JobsDbs jobsDbs;
    QueueRows rows;
    /** The test's own pool, closed after each test (a pool left open per test exhausts the server's slots). */
    HikariDataSource dataSource;

    final java.util.List<ConfigurableApplicationContext> started = new java.util.ArrayList<>();

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
        started.forEach(ConfigurableApplicationContext::close);
        transformer.close();
        dataSource.close();
    }

    ConfigurableApplicationContext processor(String holder, String... extra) {
        ConfigurableApplicationContext c = Processors.start(db, transformer.url(), config, holder, extra);
        started.add(c);
        return c;
    }

    @Test
    void aMessageIdSeenBeforeARestartIsStillADuplicateAfterIt() {
        ObjectNode event = GwJobs.track("anon-r", "Signed Up");
        ConfigurableApplicationContext first = processor("first");
        long a = GwJobs.create().add("src-1", "wk-1", event).store(jobsDbs).getFirst();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "succeeded".equals(rows.gw(a).state()));
        first.close();

        processor("second");
        long b = GwJobs.create()
                .add("src-1", "wk-1", event.deepCopy())
                .store(jobsDbs)
                .getFirst();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "filtered".equals(rows.gw(b).state()));
        assertThat(rows.gw(b).errorResponse().path("reason").asString()).isEqualTo("duplicate messageId");
        assertThat(rows.rtCount("src-1")).isEqualTo(1);
    }

    @Test
    void aProcessKilledBetweenFetchAndCommitLosesNothingAndDoublesNothing() {
        transformer.hold();
        ConfigurableApplicationContext doomed = processor("doomed");
        List<Long> ids = storeInterleaved(4, 10);
        await().atMost(Duration.ofSeconds(20)).until(() -> transformer.held() > 0);
        assertThat(rows.gwInState("executing")).isEqualTo(ids.size());

        Processors.kill(doomed);
        transformer.release();
        assertThat(rows.rtCount("src-1")).isZero();

        ConfigurableApplicationContext survivor = processor("survivor");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows.rtCount("src-1") >= ids.size());
        assertExactlyOnceInOrder(4, 10);
        assertThat(rows.gwInState("succeeded")).isEqualTo(ids.size());
        assertThat(Processors.owned(survivor)).isEqualTo(64);
    }

    @Test
    void aProcessKilledWithSeveralBatchesInFlightLosesNothingDoublesNothingAndKeepsOrder() {
        transformer.hold();
        ConfigurableApplicationContext doomed = processor(
                "doomed",
                "processor.batch.max-jobs=10",
                "processor.pipeline.max-batches-in-flight=3",
                "processor.pipeline.transform-threads=2");
        List<Long> ids = storeInterleaved(4, 10); // 4 users x 10 events: four batches of 10
        // the pipeline fills and stops there: three batches fetched (executing), two of them held in the
        // transformer by the two workers, the third waiting for a worker; the fourth is not fetched
        await().atMost(Duration.ofSeconds(20))
                .until(() -> transformer.held() == 2 && rows.gwInState("executing") == 30);
        assertThat(rows.gwInState("executing")).isEqualTo(30);
        assertThat(rows.rtCount("src-1")).isZero();

        Processors.kill(doomed);
        transformer.release();
        assertThat(rows.rtCount("src-1")).isZero();

        ConfigurableApplicationContext survivor = processor("survivor", "processor.batch.max-jobs=10");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows.rtCount("src-1") >= ids.size());
        assertExactlyOnceInOrder(4, 10);
        assertThat(rows.gwInState("succeeded")).isEqualTo(ids.size());
        assertThat(Processors.owned(survivor)).isEqualTo(64);
    }

    @Test
    void twoReplicasSharePartitionsAndTheSurvivorOfAKillFinishesExactlyOnceInOrder() {
        ConfigurableApplicationContext a = processor("replica-a", "processor.batch.max-jobs=50");
        ConfigurableApplicationContext b = processor("replica-b", "processor.batch.max-jobs=50");
        await().atMost(Duration.ofSeconds(20)).until(() -> Processors.owned(a) == 32 && Processors.owned(b) == 32);

        transformer.delay(5);
        int users = 60;
        int perUser = 50;
        storeInterleaved(users, perUser);
        await().atMost(Duration.ofSeconds(60)).until(() -> rows.rtCount("src-1") >= 600);
        Processors.kill(a);

        await().atMost(Duration.ofSeconds(90)).until(() -> rows.rtCount("src-1") >= users * perUser);
        assertExactlyOnceInOrder(users, perUser);
        assertThat(Processors.owned(b)).isEqualTo(64);
    }

    private List<Long> storeInterleaved(int users, int perUser) {
        GwJobs jobs = GwJobs.create();
        for (int seq = 0; seq < perUser; seq++)
            for (int u = 0; u < users; u++) {
                ObjectNode e = GwJobs.track("user-" + u, "step");
                e.putObject("properties").put("seq", seq);
                jobs.add("src-1", "wk-1", e);
            }
        return jobs.store(jobsDbs);
    }

    private void assertExactlyOnceInOrder(int users, int perUser) {
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> rows.rtCount("src-1") == users * perUser);
        List<QueueRows.Rt> rt = rows.rt("src-1");
        assertThat(rt).hasSize(users * perUser);
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
    }
}
