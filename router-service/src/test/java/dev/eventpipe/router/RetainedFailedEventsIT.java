package dev.eventpipe.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.router.support.Api;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.ScriptedSink.Reply;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The failed-events API after the rt dataset of the failures is gone (review P1-5): jobsdb keeps aborted jobs with
 * their attempts before a drop or compaction, and list, detail and replay read them there. Datasets hold 20 ids and
 * the test runs maintenance itself, so it decides when a dataset is dropped or compacted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RetainedFailedEventsIT {
    static final int DATASET = 20;
    static final ScriptedSink sink = DeliveryIT.newSink();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws IOException {
        TestPostgres.register(r);
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(new String[] {"d-hook"}, new String[] {}));
        r.add("workspace-config.path", config::toString);
        r.add("router.poll-interval", () -> "50ms");
        r.add("router.max-status-update-wait", () -> "20ms");
        r.add("router.defaults.min-backoff", () -> "100ms");
        r.add("router.defaults.max-backoff", () -> "400ms");
        r.add("jobsdb.max-dataset-jobs", () -> String.valueOf(DATASET));
        r.add("jobsdb.maintenance", () -> "false");
        r.add("jobsdb.compaction-min-age", () -> "0s");
        r.add("jobsdb.compaction-min-reclaim-rows", () -> "1");
        r.add("jobsdb.compaction-check-interval", () -> "0s");
    }

    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    DataSource dataSource;

    @LocalServerPort
    int port;

    RtStatuses statuses;
    Api api;
    JdbcClient sql;

    @BeforeEach
    void setUp() {
        statuses = new RtStatuses(dataSource);
        api = new Api(port);
        sql = JdbcClient.create(dataSource);
    }

    @AfterAll
    static void closeSink() {
        sink.close();
    }

    long hook(String user, String messageId) {
        return jobsDbs.queue(Queue.RT)
                .store(List.of(TestJobs.job("WEBHOOK", "d-hook", sink.url("/hook"), user, messageId, 1)))
                .getFirst();
    }

    void awaitState(long jobId, String state) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> statuses.latest(jobId).equals(state));
    }

    /** Stores and delivers a dataset's worth of jobs, so every dataset holding earlier jobs is closed. */
    void fillDataset(String tag) {
        List<Long> ids = IntStream.range(0, DATASET)
                .mapToObj(i -> hook("u-fill-" + tag, "fill-" + tag + "-" + i))
                .toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> statuses.countLatest(ids, "succeeded") == ids.size());
    }

    /** Stores and delivers jobs until the next job id is the first of a dataset, so the next jobs share one. */
    void startDataset(String tag) {
        long next = jobsDbs.queue(Queue.RT).lastJobId() + 1;
        List<Long> filler = sql.sql("""
                        SELECT CASE WHEN min_job_id = :next THEN 0 ELSE max_job_id - :next END FROM jobsdb_datasets
                        WHERE queue = 'rt' AND min_job_id <= :next AND :next < max_job_id""").param("next", next).query(Long.class).list();
        List<Long> ids = new ArrayList<>();
        for (long i = 0; i < (filler.isEmpty() ? 0 : filler.getFirst()); i++)
            ids.add(hook("u-align-" + tag, "align-" + tag + "-" + i));
        if (!ids.isEmpty())
            await().atMost(Duration.ofSeconds(60)).until(() -> statuses.countLatest(ids, "succeeded") == ids.size());
    }

    List<Long> inQueue(List<Long> ids) {
        return sql.sql("SELECT job_id FROM rt_jobs WHERE job_id IN (:ids) ORDER BY job_id")
                .param("ids", ids)
                .query(Long.class)
                .list();
    }

    List<Long> listed(String userId) {
        JsonNode page = api.get("/api/v1/failed-events?workspaceId=ws-1&userId=" + userId)
                .json();
        List<Long> ids = new ArrayList<>();
        page.path("items").forEach(i -> ids.add(i.path("jobId").asLong()));
        assertThat(page.path("total").asLong()).isEqualTo(ids.size());
        return ids;
    }

    @Test
    void abortedEventsOfADroppedDatasetAreListedShownWithEveryAttemptAndReplayedOnceWhenSubmittedTwice()
            throws Exception {
        List<Long> aborted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sink.script("drop-" + i, Reply.of(500), Reply.of(422));
            aborted.add(hook("u-drop", "drop-" + i));
        }
        for (long id : aborted) awaitState(id, "aborted");
        fillDataset("drop");
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            jobsDbs.maintenance().runOnce();
            return inQueue(aborted).isEmpty();
        });

        assertThat(listed("u-drop")).containsExactlyElementsOf(aborted.reversed());
        JsonNode item = api.get(
                        "/api/v1/failed-events?workspaceId=ws-1&userId=u-drop&statusCode=422&state=aborted&q=status")
                .json()
                .path("items")
                .get(0);
        assertThat(item.path("jobId").asLong()).isEqualTo(aborted.getLast());
        assertThat(item.path("retained").asBoolean()).isTrue();
        assertThat(item.path("attempt").asInt()).isEqualTo(2);
        assertThat(item.path("destinationId").asString()).isEqualTo("d-hook");
        assertThat(item.path("messageId").asString()).isEqualTo("drop-2");

        long original = aborted.getFirst();
        JsonNode detail = api.get("/api/v1/failed-events/" + original + "?workspaceId=ws-1")
                .json();
        assertThat(detail.path("state").asString()).isEqualTo("aborted");
        assertThat(detail.path("retained").asBoolean()).isTrue();
        List<String> attempts = new ArrayList<>();
        detail.path("attempts")
                .forEach(a -> attempts.add(a.path("state").asString() + ":"
                        + a.path("attempt").asInt() + ":" + a.path("errorCode").asString()));
        assertThat(attempts).containsExactly("executing:1:", "failed:1:500", "executing:2:", "aborted:2:422");
        assertThat(detail.path("payload").path("endpoint").asString()).isEqualTo(sink.url("/hook"));
        assertThat(api.get("/api/v1/failed-events/" + original + "?workspaceId=other")
                        .status())
                .isEqualTo(404);
        // the event debugger finds the kept delivery too
        JsonNode trace = api.get("/api/v1/events/trace?workspaceId=ws-1&messageId=drop-0")
                .json();
        assertThat(trace).hasSize(1);
        assertThat(trace.get(0).path("jobId").asLong()).isEqualTo(original);
        assertThat(trace.get(0).path("finalState").asString()).isEqualTo("aborted");
        assertThat(trace.get(0).path("attempts")).hasSize(4);

        // replayed twice at once while the copy is still failing: one copy
        sink.failUntilReleased("drop-0");
        String body = "{\"jobIds\":[" + original + "]}";
        List<Api.Response> answers;
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var first = threads.submit(() -> api.post("/api/v1/failed-events/replay?workspaceId=ws-1", body));
            var second = threads.submit(() -> api.post("/api/v1/failed-events/replay?workspaceId=ws-1", body));
            answers = List.of(first.get(), second.get());
        }
        assertThat(answers).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        assertThat(answers.stream()
                        .mapToInt(a -> a.json().path("replayed").size())
                        .sum())
                .isEqualTo(1);
        assertThat(answers.stream()
                        .mapToInt(a -> a.json().path("skipped").size())
                        .sum())
                .isEqualTo(1);
        long copy = answers.stream()
                .filter(a -> a.json().path("replayed").size() == 1)
                .findFirst()
                .orElseThrow()
                .json()
                .path("replayed")
                .get(0)
                .path("newJobId")
                .asLong();
        sink.release("drop-0");
        awaitState(copy, "succeeded");
        assertThat(sink.receivedFor("drop-0").stream().filter(r -> r.status() == 200))
                .hasSize(1);
        assertThat(api.get("/api/v1/failed-events/" + original + "?workspaceId=ws-1")
                        .json()
                        .path("replays")
                        .get(0)
                        .path("newJobId")
                        .asLong())
                .isEqualTo(copy);
        assertThat(api.get("/api/v1/failed-events/" + copy + "?workspaceId=ws-1")
                        .json()
                        .path("replayedFrom")
                        .asLong())
                .isEqualTo(original);
        // another workspace cannot replay it
        assertThat(api.post("/api/v1/failed-events/replay?workspaceId=other", body)
                        .json()
                        .path("notFound")
                        .get(0)
                        .asLong())
                .isEqualTo(original);
    }

    @Test
    void aCompactionWhoseSwapFailsShowsEachFailureOnceThenAndAfterTheRetry() throws Exception {
        startDataset("cmp"); // the failures and the live job in one dataset: compacted, not dropped
        List<Long> aborted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sink.script("cmp-" + i, Reply.of(400));
            aborted.add(hook("u-cmp", "cmp-" + i));
        }
        sink.failUntilReleased("cmp-live");
        long failing = hook("u-cmp-live", "cmp-live");
        for (long id : aborted) awaitState(id, "aborted");
        awaitState(failing, "failed");
        fillDataset("cmp");

        try (Connection reader = dataSource.getConnection();
                Statement statement = reader.createStatement()) {
            reader.setAutoCommit(false);
            statement.execute("SELECT count(*) FROM rt_jobs"); // the compaction's swap cannot lock the queue
            jobsDbs.maintenance().runOnce();
            reader.rollback();
        }
        // kept by the copy step, still in the queue: the API shows each once
        long keptNow = sql.sql("SELECT count(*) FROM rt_failed_events WHERE job_id IN (:ids)")
                .param("ids", aborted)
                .query(Long.class)
                .single();
        assertThat(keptNow).isEqualTo(3);
        assertThat(inQueue(aborted)).containsExactlyElementsOf(aborted);
        assertThat(listed("u-cmp")).containsExactlyElementsOf(aborted.reversed());
        assertThat(api.get("/api/v1/failed-events/" + aborted.getFirst() + "?workspaceId=ws-1")
                        .json()
                        .path("attempts"))
                .hasSize(2);
        JsonNode trace =
                api.get("/api/v1/events/trace?workspaceId=ws-1&messageId=cmp-0").json();
        assertThat(trace).hasSize(1); // in the queue and kept: once
        assertThat(trace.get(0).path("attempts")).hasSize(2);

        await().atMost(Duration.ofSeconds(60)).until(() -> {
            jobsDbs.maintenance().runOnce();
            return inQueue(aborted).isEmpty();
        });
        assertThat(inQueue(List.of(failing))).containsExactly(failing); // compacted, not dropped: it is live
        assertThat(listed("u-cmp")).containsExactlyElementsOf(aborted.reversed());
        // still retried: listed whenever its latest status is failed (not while an attempt is executing)
        await().atMost(Duration.ofSeconds(30)).until(() -> listed("u-cmp-live").equals(List.of(failing)));
        JsonNode detail = api.get("/api/v1/failed-events/" + aborted.get(1) + "?workspaceId=ws-1")
                .json();
        assertThat(detail.path("attempts")).hasSize(2);
        assertThat(detail.path("attempts").get(1).path("errorCode").asString()).isEqualTo("400");
        sink.release("cmp-live");
        awaitState(failing, "succeeded");
    }
}
