package dev.eventpipe.gateway.write;

import static dev.eventpipe.gateway.support.TestWorkspace.WRITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.gateway.support.GatewayClient;
import dev.eventpipe.gateway.support.StoredJobs;
import dev.eventpipe.gateway.support.TestWorkspace;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.testkit.TcpProxy;
import dev.eventpipe.testkit.TestPostgres;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * PostgreSQL becomes unreachable under load (the gateway reaches it through a proxy that the test cuts): requests
 * are answered 5xx without hanging, {@code /health} says the database is down, and once the database is back the
 * gateway answers 200 again by itself. Every event answered 200 is stored exactly once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatabaseOutageIT {
    static TestPostgres.Database database;
    static TcpProxy proxy;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        database = TestPostgres.newDatabase();
        proxy = TcpProxy.toDatabase(database);
        registry.add("spring.datasource.url", () -> proxy.database(database).url());
        registry.add("spring.datasource.username", database::user);
        registry.add("spring.datasource.password", database::password);
        registry.add("workspace-config.path", TestWorkspace::write);
        registry.add("jobsdb.maintenance", () -> "false");
    }

    @AfterAll
    static void closeProxy() throws Exception {
        proxy.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    DataSource gatewayDataSource;

    @Test
    void anUnreachableDatabaseGives5xxAnswersAndTheGatewayRecoversByItself() throws Exception {
        GatewayClient gateway = new GatewayClient(port);
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        java.util.Set<String> errorBodies = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger clientErrors = new AtomicInteger();
        AtomicInteger sequence = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            clients.add(Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    String id = "outage-" + sequence.incrementAndGet();
                    try {
                        HttpResponse<String> r = gateway.post(
                                "/v1/track", WRITE_KEY, "{\"anonymousId\":\"a\",\"messageId\":\"" + id + "\"}");
                        answers.put(id, r.statusCode());
                        if (r.statusCode() >= 500) errorBodies.add(r.body());
                    } catch (RuntimeException e) {
                        clientErrors.incrementAndGet(); // includes the client's 60 s timeout: a hang
                    }
                }
            }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count(answers, 200) > 200);

        proxy.cut();
        await().atMost(Duration.ofSeconds(60)).until(() -> count(answers, 503) > 50 && count(answers, 500) > 0);
        HttpResponse<String> health = gateway.get("/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(Json.mapper().readTree(health.body()).get("db").stringValue())
                .isEqualTo("DOWN");
        // liveness never depends on the database: a probe on it restarts nothing during an outage
        assertThat(gateway.get("/health/live").statusCode()).isEqualTo(200);
        int okBeforeRestore = count(answers, 200);

        proxy.restore();
        await().atMost(Duration.ofSeconds(60)).until(() -> count(answers, 200) > okBeforeRestore + 200);
        running.set(false);
        for (Thread t : clients) t.join(Duration.ofSeconds(90));

        assertThat(clients).noneMatch(Thread::isAlive);
        assertThat(clientErrors).hasValue(0);
        assertThat(answers.values()).allMatch(status -> status == 200 || status >= 500);
        // RudderStack's plain-text bodies; never the database's error text
        assertThat(errorBodies)
                .contains("internal server error\n")
                .isSubsetOf("internal server error\n", "Service Unavailable\n", "gateway timeout\n");
        assertThat(gateway.get("/health").statusCode()).isEqualTo(200);

        Map<String, Integer> storedCount = storedMessageIds();
        List<String> okIds = answers.entrySet().stream()
                .filter(e -> e.getValue() == 200)
                .map(Map.Entry::getKey)
                .toList();
        assertThat(okIds).allMatch(id -> storedCount.getOrDefault(id, 0) == 1);
        assertThat(storedCount.values()).allMatch(n -> n == 1);
        // Only a commit in flight at the cut can be stored without its 200 (its acknowledgement was lost):
        long failedButStored = answers.entrySet().stream()
                .filter(e -> e.getValue() != 200 && storedCount.containsKey(e.getKey()))
                .count();
        assertThat(failedButStored).isLessThanOrEqualTo(16);
    }

    private static int count(Map<String, Integer> answers, int status) {
        return (int) answers.values().stream().filter(s -> s == status).count();
    }

    private static Map<String, Integer> storedMessageIds() {
        DriverManagerDataSource direct =
                new DriverManagerDataSource(database.url(), database.user(), database.password());
        Map<String, Integer> counts = new HashMap<>();
        new StoredJobs(direct)
                .containing("outage-")
                .forEach(job -> counts.merge(job.event().get("messageId").stringValue(), 1, Integer::sum));
        return counts;
    }
}
