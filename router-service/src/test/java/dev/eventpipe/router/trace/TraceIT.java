package dev.eventpipe.router.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** An event's rt job, found by messageId: the request as sent with its secrets masked, each attempt, the end. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class TraceIT {
    static final String SECRET = "s3cr3t-token-value";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws IOException {
        TestPostgres.register(r);
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, """
                {"workspaceId": "ws-t", "sources": [{"id": "src-1", "name": "s", "writeKey": "wk-t", "workspaceId": "ws-t",
                  "enabled": true, "sourceDefinition": {"id": "sd", "name": "HTTP"}, "destinations": [
                   {"id": "d-secret", "name": "d", "workspaceId": "ws-t", "enabled": true, "isProcessorEnabled": true,
                    "config": {"token": "%s"},
                    "destinationDefinition": {"id": "dd", "name": "WEBHOOK", "config": {"secretKeys": ["token"]}}}]}]}""".formatted(SECRET));
        r.add("workspace-config.path", config::toString);
        r.add("router.enabled", () -> "false"); // the test writes the statuses itself
    }

    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    TraceController trace;

    @Test
    void anEventsDeliveriesShowTheMaskedRequestAndEveryAttempt() {
        String messageId = "m-" + UUID.randomUUID();
        Map<String, Object> request = Map.of(
                "version",
                "1",
                "type",
                "REST",
                "method",
                "POST",
                "endpoint",
                "https://hooks.example.com/in?token=" + SECRET,
                "headers",
                Map.of("Authorization", "Bearer " + SECRET, "X-Step", "one"),
                "body",
                Map.of("JSON", Map.of("event", "Order Completed", "key", SECRET)));
        Map<String, Object> params =
                Map.of("destination_id", "d-secret", "source_id", "src-1", "message_id", messageId);
        long jobId = jobsDbs.queue(Queue.RT)
                .store(List.of(NewJob.of("u1", "ws-t", "WEBHOOK", Json.writeString(params), Json.writeString(request))))
                .getFirst();
        Instant now = Instant.now();
        jobsDbs.queue(Queue.RT)
                .updateStatus(List.of(
                        StatusUpdate.of(jobId, JobState.FAILED, 1, now).withResponse("503", "{\"response\":\"busy\"}"),
                        StatusUpdate.of(jobId, JobState.SUCCEEDED, 2, now)
                                .withResponse("200", "{\"response\":\"ok\"}")));

        assertThat(trace.trace("ws-other", messageId)).isEmpty();
        List<TraceController.Delivery> found = trace.trace("ws-t", messageId);
        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.destinationId()).isEqualTo("d-secret");
            assertThat(d.finalState()).isEqualTo("succeeded");
            assertThat(d.attempts())
                    .extracting(TraceController.Attempt::state, TraceController.Attempt::code)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("failed", "503"),
                            org.assertj.core.groups.Tuple.tuple("succeeded", "200"));
            assertThat(d.request()).isNotNull();
            assertThat(d.request().url()).isEqualTo("https://hooks.example.com/in?token=********");
            assertThat(d.request().headers())
                    .containsEntry("Authorization", "********")
                    .containsEntry("X-Step", "one");
            assertThat(d.request().body()).contains("Order Completed").doesNotContain(SECRET);
        });
    }
}
