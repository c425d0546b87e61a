package dev.eventpipe.gateway.write;

import static dev.eventpipe.gateway.support.TestWorkspace.DISABLED_WRITE_KEY;
import static dev.eventpipe.gateway.support.TestWorkspace.WRITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.gateway.support.GatewayClient;
import dev.eventpipe.gateway.support.StoredJobs;
import dev.eventpipe.gateway.support.TestWorkspace;
import dev.eventpipe.testkit.TestPostgres;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Many concurrent clients: every event answered 200 is stored exactly once, no event of a refused request is. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConcurrentIngestIT {
    private static final int CLIENTS = 48;
    private static final int REQUESTS_PER_CLIENT = 40;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry);
        registry.add("workspace-config.path", TestWorkspace::write);
    }

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Test
    void everyAcknowledgedEventIsStoredOnceAndNoRefusedEventIsStored() throws Exception {
        GatewayClient gateway = new GatewayClient(port);
        String run = "conc-" + UUID.randomUUID();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> refused = ConcurrentHashMap.newKeySet();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(Thread.ofPlatform().start(() -> {
                for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                    List<String> ids = new ArrayList<>();
                    StringBuilder body = new StringBuilder("{\"batch\":[");
                    int events = 1 + (r % 5);
                    for (int e = 0; e < events; e++) {
                        String id = run + "-" + client + "-" + r + "-" + e;
                        ids.add(id);
                        if (e > 0) body.append(',');
                        boolean anonymous = r % 7 == 3 && e == events - 1; // makes the whole request invalid
                        body.append("{\"type\":\"track\",\"event\":\"e\",\"messageId\":\"")
                                .append(id)
                                .append(anonymous ? "\"}" : "\",\"anonymousId\":\"user-" + (r % 11) + "\"}");
                    }
                    String writeKey = r % 13 == 5 ? DISABLED_WRITE_KEY : WRITE_KEY;
                    HttpResponse<String> response = gateway.post(
                            "/v1/batch", writeKey, body.append("]}").toString());
                    statuses.merge(response.statusCode(), 1, Integer::sum);
                    (response.statusCode() == 200 ? acknowledged : refused).addAll(ids);
                }
            }));
        }
        for (Thread t : clients) t.join(Duration.ofMinutes(3));

        assertThat(clients).noneMatch(Thread::isAlive);
        assertThat(statuses.keySet()).containsExactlyInAnyOrder(200, 400, 404);
        assertThat(acknowledged).isNotEmpty();
        assertThat(refused).isNotEmpty();
        Map<String, Integer> storedCount = new HashMap<>();
        new StoredJobs(dataSource)
                .containing(run)
                .forEach(job -> storedCount.merge(job.event().get("messageId").stringValue(), 1, Integer::sum));
        assertThat(storedCount.keySet()).isEqualTo(acknowledged);
        assertThat(storedCount.values()).allMatch(n -> n == 1);
        assertThat(refused).noneMatch(storedCount::containsKey);
    }
}
