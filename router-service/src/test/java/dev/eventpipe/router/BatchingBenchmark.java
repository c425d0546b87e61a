package dev.eventpipe.router;

import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.router.support.RtStatuses;
import dev.eventpipe.router.support.ScriptedSink;
import dev.eventpipe.router.support.StubBatchTransformer;
import dev.eventpipe.router.support.TestJobs;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Not a test (no assertion; not matched by the test runners' patterns): run by {@code router-service/bench.sh}.
 * Delivers the same jobs to a destination one by one and to one that batches, against a sink that takes
 * {@code bench.latency-ms} per request (as a remote API does), and prints jobs/s of each as one JSON line. The
 * combining is done by the test stub of the transformer, so this measures the router's side of batching.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class BatchingBenchmark {
    static final int USERS = Integer.getInteger("bench.users", 200);
    static final int PER_USER = Integer.getInteger("bench.per-user", 10);
    static final int LATENCY_MS = Integer.getInteger("bench.latency-ms", 20);
    static final ScriptedSink sink = BatchingIT.start(ScriptedSink::new);
    static final StubBatchTransformer transformer = BatchingIT.start(StubBatchTransformer::new);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws IOException {
        BatchingIT.registerBatchingRouter(r, transformer);
    }

    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    DataSource dataSource;

    @AfterAll
    static void close() {
        sink.close();
        transformer.close();
    }

    @Test
    void oneByOneAgainstBatched() {
        sink.delay(Duration.ofMillis(LATENCY_MS));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "router-batching");
        result.put("jobs", USERS * PER_USER);
        result.put("users", USERS);
        result.put("sinkLatencyMs", LATENCY_MS);
        result.put("oneByOneJobsPerSec", run("d-plain", "/plain"));
        result.put("oneByOneRequests", sink.requests("/plain").size());
        result.put("batchedJobsPerSec", run("d-batch", "/batched"));
        result.put("batchedRequests", sink.requests("/batched").size());
        System.out.println(Json.writeString(result));
    }

    private long run(String destinationId, String path) {
        List<NewJob> jobs = new ArrayList<>();
        for (int seq = 1; seq <= PER_USER; seq++)
            for (int u = 0; u < USERS; u++)
                jobs.add(TestJobs.job(
                        "WEBHOOK", destinationId, sink.url(path), "bu-" + u, destinationId + "-" + u + "-" + seq, seq));
        RtStatuses statuses = new RtStatuses(dataSource);
        long start = System.nanoTime();
        List<Long> ids = jobsDbs.queue(Queue.RT).store(jobs);
        await().atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> statuses.countLatest(ids, "succeeded") == ids.size());
        long tookMs = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        return ids.size() * 1000L / tookMs;
    }
}
