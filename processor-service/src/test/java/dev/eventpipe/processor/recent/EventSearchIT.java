package dev.eventpipe.processor.recent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.processor.TestWorkspace;
import dev.eventpipe.testkit.TestPostgres;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The event debugger's first step: an event found by any of its ids, as received, never with its write key. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class EventSearchIT {
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        TestPostgres.register(r);
        r.add("workspace-config.path", () -> TestWorkspace.write().toString());
        r.add("processor.transformer.url", () -> "http://127.0.0.1:9");
    }

    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    EventSearchController search;

    @Test
    void anEventIsFoundByMessageIdUserIdOrAnonymousIdOfItsWorkspaceOnly() {
        String suffix = UUID.randomUUID().toString();
        Map<String, Object> event = Map.of(
                "type",
                "track",
                "event",
                "Order Completed",
                "messageId",
                "msg-" + suffix,
                "userId",
                "user-" + suffix,
                "anonymousId",
                "anon-" + suffix,
                "context",
                Map.of("library", Map.of("name", "analytics-node", "version", "2.1.0")));
        Map<String, Object> stored = Map.of(
                "batch", List.of(event),
                "requestIP", "203.0.113.9",
                "writeKey", "wk-never-shown",
                "receivedAt", "2026-11-29T10:00:00.000Z");
        jobsDbs.queue(Queue.GW)
                .store(List.of(NewJob.of(
                        "anon-" + suffix,
                        "ws-s",
                        "GW",
                        Json.writeString(Map.of("source_id", "src-s")),
                        Json.writeString(stored))));

        for (String id : List.of("msg-" + suffix, "user-" + suffix, "anon-" + suffix)) {
            assertThat(search.search("ws-s", id, 20)).singleElement().satisfies(e -> {
                assertThat(e.messageId()).isEqualTo("msg-" + suffix);
                assertThat(e.sourceId()).isEqualTo("src-s");
                assertThat(e.requestIp()).isEqualTo("203.0.113.9");
                assertThat(e.sdk()).isEqualTo(new EventSearchController.Sdk("analytics-node", "2.1.0"));
                assertThat(Json.writeString(e)).doesNotContain("wk-never-shown");
            });
        }
        assertThat(search.search("ws-other", "msg-" + suffix, 20)).isEmpty();
        assertThat(search.search("ws-s", suffix, 20))
                .as("a part of an id is not the id")
                .isEmpty();
    }
}
