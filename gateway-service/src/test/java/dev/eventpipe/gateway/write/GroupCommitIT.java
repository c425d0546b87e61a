package dev.eventpipe.gateway.write;

import static dev.eventpipe.gateway.support.TestWorkspace.WRITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.gateway.support.GatewayClient;
import dev.eventpipe.gateway.support.StoredJobs;
import dev.eventpipe.gateway.support.TestWorkspace;
import dev.eventpipe.testkit.TestPostgres;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The answer waits for the commit, the queue is bounded, and a request that stops waiting is never written. The
 * test holds the gw writers' advisory lock from its own connection, so the writer's commit blocks until released.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"gateway.writer.queue-capacity=4", "gateway.writer.write-timeout=2s", "jobsdb.maintenance=false"})
class GroupCommitIT {
    // jobsdb's Queue.GW.lockKey(): the transaction-level advisory lock every gw writer takes before storing
    private static final long GW_WRITER_LOCK = 0x6a6f6273_00000000L;
    static TestPostgres.Database database;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        database = TestPostgres.register(registry);
        registry.add("workspace-config.path", TestWorkspace::write);
        registry.add("SERVICE_TOKEN", () -> GatewayClient.SERVICE_TOKEN);
    }

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Test
    void okWaitsForTheCommitAFullQueueAnswers503AndTimedOutRequestsAreNeverStored() throws Exception {
        GatewayClient gateway = new GatewayClient(port);
        StoredJobs stored = new StoredJobs(dataSource);
        String run = UUID.randomUUID().toString();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        CompletableFuture<HttpResponse<String>> first;
        List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
        HttpResponse<String> overflow;
        try (Connection blocker = database.connect();
                Statement st = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            st.execute("SELECT pg_advisory_xact_lock(" + GW_WRITER_LOCK + ")");

            first = send(gateway, run + "-first");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> jdbc.sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
                                    .query(Long.class)
                                    .single()
                            == 1);
            for (int i = 0; i < 4; i++) queued.add(send(gateway, run + "-queued-" + i));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> gateway.metrics("/actuator/metrics/gateway.writer.queue")
                            .body()
                            .contains("\"value\":4.0"));
            overflow = gateway.post("/v1/track", WRITE_KEY, event(run + "-overflow"));

            for (CompletableFuture<HttpResponse<String>> q : queued) {
                assertThat(q.get().statusCode()).isEqualTo(504);
                assertThat(q.get().body()).isEqualTo("gateway timeout\n");
            }
            assertThat(first).isNotDone();
            blocker.commit(); // releases the lock: the claimed write commits
        }
        assertThat(overflow.statusCode()).isEqualTo(503);
        assertThat(overflow.body()).isEqualTo("Service Unavailable\n");
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(first.get().body()).isEqualTo("ok");

        assertThat(stored.containing(run)).hasSize(1);
        assertThat(stored.containing(run + "-first")).hasSize(1);
        assertOk(gateway.post("/v1/track", WRITE_KEY, event(run + "-after")));
        assertThat(stored.containing(run)).hasSize(2);
    }

    private static void assertOk(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private static String event(String messageId) {
        return "{\"anonymousId\":\"a\",\"messageId\":\"" + messageId + "\"}";
    }

    private static CompletableFuture<HttpResponse<String>> send(GatewayClient gateway, String messageId) {
        return CompletableFuture.supplyAsync(
                () -> gateway.post("/v1/track", WRITE_KEY, event(messageId)),
                runnable -> Thread.ofVirtual().start(runnable));
    }
}
