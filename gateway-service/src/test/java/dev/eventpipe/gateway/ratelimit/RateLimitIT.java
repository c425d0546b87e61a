package dev.eventpipe.gateway.ratelimit;

import static dev.eventpipe.gateway.support.TestWorkspace.WRITE_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.gateway.support.GatewayClient;
import dev.eventpipe.gateway.support.StoredJobs;
import dev.eventpipe.gateway.support.TestWorkspace;
import dev.eventpipe.testkit.TestPostgres;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With the per-workspace limit on, events over the limit are answered 429 with Retry-After and not stored. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "gateway.rate-limit.enabled=true",
            "gateway.rate-limit.workspaces.ws-test.event-limit=5",
            "gateway.rate-limit.workspaces.ws-test.window=1h"
        })
class RateLimitIT {
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
    void eventsOverTheWorkspaceLimitGet429WithRetryAfterUnlessTheyCarryAJobRunId() {
        GatewayClient gateway = new GatewayClient(port);
        String run = "rl-" + UUID.randomUUID();
        String four = "{\"batch\":[" + ("{\"anonymousId\":\"" + run + "\"},").repeat(3) + "{\"anonymousId\":\"" + run
                + "\"}]}";
        assertThat(gateway.post("/v1/batch", WRITE_KEY, four).statusCode()).isEqualTo(200);

        HttpResponse<String> limited = gateway.post("/v1/batch", WRITE_KEY, four);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).isEqualTo("max requests limit reached\n");
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()))
                .isPositive();

        HttpResponse<String> etl = gateway.send(gateway.request("/v1/batch")
                .header("Authorization", GatewayClient.basic(WRITE_KEY))
                .header("X-Rudder-Job-Run-Id", "job-1")
                .POST(HttpRequest.BodyPublishers.ofString(four))
                .build());
        assertThat(etl.statusCode()).isEqualTo(200);
        assertThat(new StoredJobs(dataSource).containing(run)).hasSize(8);
    }
}
