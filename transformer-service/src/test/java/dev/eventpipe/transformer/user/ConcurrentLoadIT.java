package dev.eventpipe.transformer.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.transformer.HttpTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ConcurrentLoadIT extends HttpTestBase {
    private static final int CLIENTS = 8;
    private static final int REQUESTS_PER_CLIENT = 15;
    private static final int EVENTS_PER_REQUEST = 40;

    @Test
    void concurrentRequestsGetEveryEventsResultExactlyOnce() throws Exception {
        BACKEND.put("v-load", """
                export function transformEvent(event, metadata) {
                  if (event.n % 10 === 3) throw new Error('n ends in 3: ' + event.n);
                  if (event.n % 10 === 7) return null;
                  event.seen = metadata(event).messageId;
                  return event;
                }""");
        Map<String, Integer> statusById = new ConcurrentHashMap<>();
        List<String> duplicates = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                running.add(clients.submit(() -> {
                    for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                        List<String> items = new ArrayList<>();
                        for (int e = 0; e < EVENTS_PER_REQUEST; e++) {
                            int n = (client * REQUESTS_PER_CLIENT + r) * EVENTS_PER_REQUEST + e;
                            String id = "load-" + n;
                            items.add(item(id, "v-load", "{\"messageId\":\"%s\",\"n\":%d}".formatted(id, n)));
                        }
                        JsonNode answer = json(post(
                                "/customTransform",
                                "[" + String.join(",", items) + "]",
                                "X-Feature-Filter-Code",
                                "?1"));
                        assertThat(answer).hasSize(EVENTS_PER_REQUEST);
                        for (JsonNode result : answer) {
                            String id =
                                    result.path("metadata").path("messageId").asString();
                            if (result.path("statusCode").asInt() == 200) {
                                assertThat(result.path("output").path("seen").asString())
                                        .isEqualTo(id);
                            }
                            if (statusById.putIfAbsent(
                                            id, result.path("statusCode").asInt())
                                    != null) {
                                synchronized (duplicates) {
                                    duplicates.add(id);
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        }
        int total = CLIENTS * REQUESTS_PER_CLIENT * EVENTS_PER_REQUEST;
        assertThat(duplicates).isEmpty();
        assertThat(statusById).hasSize(total);
        for (int n = 0; n < total; n++) {
            int expected = n % 10 == 3 ? 400 : n % 10 == 7 ? 298 : 200;
            assertThat(statusById.get("load-" + n)).as("load-" + n).isEqualTo(expected);
        }
    }
}
