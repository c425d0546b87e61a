package dev.eventpipe.gateway.storage;

import static dev.eventpipe.gateway.support.TestWorkspace.WRITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.gateway.support.GatewayClient;
import dev.eventpipe.gateway.support.StoredJobs;
import dev.eventpipe.gateway.support.TestWorkspace;
import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobQuery;
import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.testkit.TestPostgres;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A small storage budget (4 MB for the job tables) and more load than fits: past the high-water mark the gateway
 * answers 503 with Retry-After and stores nothing more; once the jobs are processed and their datasets dropped,
 * usage falls below the low-water mark and it accepts again, so a client that retries like an SDK gets every
 * event in. Every acknowledged event is stored exactly once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StorageBudgetIT {
    static final long BUDGET = 4L * 1024 * 1024;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry);
        registry.add("workspace-config.path", TestWorkspace::write);
        registry.add("jobsdb.storage.max-bytes", () -> Long.toString(BUDGET));
        registry.add("jobsdb.storage.check-interval", () -> "100ms");
        registry.add("gateway.storage-retry-after", () -> "2s");
        registry.add("jobsdb.max-dataset-jobs", () -> "1000"); // datasets rotate often, so processed ones drop
        registry.add("jobsdb.maintenance", () -> "false"); // the test runs it
    }

    @LocalServerPort
    int port;

    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    DataSource dataSource;

    int sequence;

    /** One /v1/batch of 100 events of about 1 KB each, with unique message ids. */
    private List<String> nextBatch(StringBuilder body) {
        List<String> ids = new ArrayList<>();
        body.setLength(0);
        body.append("{\"batch\":[");
        for (int i = 0; i < 100; i++) {
            String id = "budget-" + (++sequence);
            ids.add(id);
            if (i > 0) body.append(',');
            body.append("{\"type\":\"track\",\"event\":\"e\",\"anonymousId\":\"a-")
                    .append(i % 7)
                    .append("\",\"messageId\":\"")
                    .append(id)
                    .append("\",\"properties\":{\"pad\":\"")
                    .append("x".repeat(900))
                    .append("\"}}");
        }
        body.append("]}");
        return ids;
    }

    @Test
    void pastTheBudgetTheGatewayAnswers503WithRetryAfterAndAcceptsAgainOnceDatasetsAreDropped() {
        GatewayClient gateway = new GatewayClient(port);
        List<String> acknowledged = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        HttpResponse<String> refused = null;
        List<String> refusedIds = List.of();
        for (int request = 0; request < 400 && refused == null; request++) {
            List<String> ids = nextBatch(body);
            HttpResponse<String> response = gateway.post("/v1/batch", WRITE_KEY, body.toString());
            if (response.statusCode() == 200) acknowledged.addAll(ids);
            else {
                refused = response;
                refusedIds = ids;
            }
        }
        assertThat(refused).as("the budget was never reached").isNotNull();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).isEqualTo("Service Unavailable\n");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
        JsonNode health = Json.mapper().readTree(gateway.get("/health").body());
        assertThat(health.path("acceptingEvents").asString()).isEqualTo("FALSE");
        assertThat(health.path("storage").path("budgetBytes").asLong()).isEqualTo(BUDGET);
        assertThat(health.path("storage").path("usedBytes").asLong()).isGreaterThanOrEqualTo(BUDGET * 9 / 10);
        // still refusing: nothing more is stored while past the mark
        assertThat(gateway.post("/v1/batch", WRITE_KEY, body.toString()).statusCode())
                .isEqualTo(503);
        assertStoredOnce(acknowledged, refusedIds);

        // the pipeline catches up: every job processed, the closed datasets dropped
        processEverything();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            jobsDbs.maintenance().runOnce();
            return Json.mapper()
                    .readTree(gateway.get("/health").body())
                    .path("acceptingEvents")
                    .asString()
                    .equals("TRUE");
        });

        // the client retries what was refused, as SDKs do, and it is accepted
        HttpResponse<String> retried = gateway.post("/v1/batch", WRITE_KEY, body.toString());
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(new StoredJobs(dataSource).containing(refusedIds.getFirst())).hasSize(1);
    }

    private void assertStoredOnce(List<String> acknowledged, List<String> refusedIds) {
        Map<String, Integer> stored = new HashMap<>();
        new StoredJobs(dataSource)
                .containing("budget-")
                .forEach(job -> stored.merge(job.event().path("messageId").asString(), 1, Integer::sum));
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged);
        assertThat(stored.values()).allMatch(n -> n == 1);
        assertThat(refusedIds).noneMatch(stored::containsKey);
    }

    private void processEverything() {
        JobsDb gw = jobsDbs.queue(Queue.GW);
        Instant now = Instant.now();
        for (List<Job> page = gw.fetchUnprocessed(JobQuery.first(1_000));
                !page.isEmpty();
                page = gw.fetchUnprocessed(JobQuery.first(1_000))) {
            gw.updateStatus(page.stream()
                    .map(j -> StatusUpdate.of(j.jobId(), JobState.SUCCEEDED, 1, now))
                    .toList());
        }
    }
}
