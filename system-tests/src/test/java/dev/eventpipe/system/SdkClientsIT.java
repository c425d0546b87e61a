package dev.eventpipe.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.rudderstack.sdk.java.analytics.RudderAnalytics;
import com.segment.analytics.Analytics;
import dev.eventpipe.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The server-side SDKs from Maven Central, unchanged, against the real data plane (transformer, gateway, processor
 * and router as separate processes on a real PostgreSQL) with a webhook sink on 127.0.0.1: RudderStack's Java SDK
 * (gzip, {@code /v1/batch}, Basic auth) and Segment's Java SDK ({@code /v1/import/}, the write key in the body, a
 * JSON answer it parses). Many users, several batches per SDK; every message must be acknowledged by the SDK's
 * callback and none may fail, and every acknowledged message must reach the sink, in per-user order, stored once by
 * the processor (an event the sink got twice only as a router retry, {@link DoubleCheck}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkClientsIT {
    private static final String WRITE_KEY = "sdk-clients-write-key";
    private static final int USERS = 20;
    private static final int PER_USER = 30; // an identify, then tracks
    private static final int FLUSH_EVERY = 50; // messages per batch: 12 batches per SDK

    private Sink sink;
    private final List<ServiceProcess> services = new ArrayList<>();
    private ServiceProcess gateway;
    private TestPostgres.Database database;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        sink = new Sink();
        Path config = dir.resolve("workspaceConfig.json");
        Files.writeString(config, workspaceConfig(sink.url()));
        database = TestPostgres.newDatabase();
        Map<String, String> env = new HashMap<>(Cluster.databaseEnv(database));
        env.put("WORKSPACE_CONFIG_PATH", config.toString());
        env.put("EGRESS_ALLOW", "127.0.0.1/32"); // the sink is on loopback, which the egress guard refuses
        env.put("ROUTER_DEFAULTS_MINBACKOFF", "1s");
        env.put("ROUTER_DEFAULTS_MAXBACKOFF", "2s");
        // A delivery the sink answers after the router's timeout is retried (at least once, as RudderStack does): on
        // a machine with a load of 30, the sink in this JVM once answered the first requests after more than the
        // default 10 s. The SDKs are what this test is about, so the router waits longer than any such stall (such a
        // double would pass DoubleCheck, as a retry after a failed 504, but is not what this test is for).
        env.put("ROUTER_DEFAULTS_HTTPTIMEOUT", "60s");
        // the transformer first, alone: it is the slowest to start, and a loaded machine starts four JVMs slowly
        ServiceProcess transformer = start("transformer-service", env).awaitHealthy();
        env.put("DEST_TRANSFORM_URL", transformer.url(""));
        gateway = start("gateway-service", env);
        start("processor-service", env);
        start("router-service", env);
        services.forEach(ServiceProcess::awaitHealthy);
    }

    private ServiceProcess start(String module, Map<String, String> env) {
        ServiceProcess process = ServiceProcess.start(module, env);
        services.add(process);
        return process;
    }

    @AfterAll
    void stop() {
        for (ServiceProcess s : services) s.close();
        if (sink != null) sink.close();
    }

    @Test
    void rudderStacksJavaSdkDeliversEveryMessageOnceInOrder() {
        Acks acks = new Acks();
        RudderAnalytics analytics = RudderAnalytics.builder(WRITE_KEY)
                .setDataPlaneUrl(gateway.url(""))
                .flushQueueSize(FLUSH_EVERY)
                .callback(new com.rudderstack.sdk.java.analytics.Callback() {
                    @Override
                    public void success(com.rudderstack.sdk.java.analytics.messages.Message message) {
                        acks.success(message.messageId(), message.userId(), seqOf(message));
                    }

                    @Override
                    public void failure(com.rudderstack.sdk.java.analytics.messages.Message message, Throwable t) {
                        acks.failure(message.messageId(), t);
                    }
                })
                .build();
        try {
            for (int seq = 0; seq < PER_USER; seq++) {
                for (int u = 0; u < USERS; u++) {
                    String user = "rs-user-" + u;
                    if (seq == 0) {
                        analytics.enqueue(com.rudderstack.sdk.java.analytics.messages.IdentifyMessage.builder()
                                .userId(user)
                                .traits(Map.of("seq", 0, "sdk", "rudderstack-java")));
                    } else {
                        analytics.enqueue(com.rudderstack.sdk.java.analytics.messages.TrackMessage.builder("Step")
                                .userId(user)
                                .properties(Map.of("seq", seq, "sdk", "rudderstack-java")));
                    }
                }
            }
            analytics.flush();
            acks.awaitAll(USERS * PER_USER);
        } finally {
            analytics.shutdown();
        }
        assertDeliveredOnceInOrder("rs-user-", acks);
    }

    @Test
    void segmentsJavaSdkDeliversEveryMessageOnceInOrder() {
        Acks acks = new Acks();
        Analytics analytics = Analytics.builder(WRITE_KEY)
                .endpoint(gateway.url(""))
                .flushQueueSize(FLUSH_EVERY)
                .callback(new com.segment.analytics.Callback() {
                    @Override
                    public void success(com.segment.analytics.messages.Message message) {
                        acks.success(message.messageId(), message.userId(), seqOf(message));
                    }

                    @Override
                    public void failure(com.segment.analytics.messages.Message message, Throwable t) {
                        acks.failure(message.messageId(), t);
                    }
                })
                .build();
        try {
            for (int seq = 0; seq < PER_USER; seq++) {
                for (int u = 0; u < USERS; u++) {
                    String user = "seg-user-" + u;
                    if (seq == 0) {
                        analytics.enqueue(com.segment.analytics.messages.IdentifyMessage.builder()
                                .userId(user)
                                .traits(Map.of("seq", 0, "sdk", "segment-java")));
                    } else {
                        analytics.enqueue(com.segment.analytics.messages.TrackMessage.builder("Step")
                                .userId(user)
                                .properties(Map.of("seq", seq, "sdk", "segment-java")));
                    }
                }
            }
            analytics.flush();
            acks.awaitAll(USERS * PER_USER);
        } finally {
            analytics.shutdown();
        }
        assertDeliveredOnceInOrder("seg-user-", acks);
    }

    private static int seqOf(com.rudderstack.sdk.java.analytics.messages.Message message) {
        Map<String, ?> fields = switch (message) {
            case com.rudderstack.sdk.java.analytics.messages.TrackMessage t -> t.properties();
            case com.rudderstack.sdk.java.analytics.messages.IdentifyMessage i -> i.traits();
            default -> throw new AssertionError("unexpected message " + message);
        };
        return ((Number) fields.get("seq")).intValue();
    }

    private static int seqOf(com.segment.analytics.messages.Message message) {
        Map<String, ?> fields = switch (message) {
            case com.segment.analytics.messages.TrackMessage t -> t.properties();
            case com.segment.analytics.messages.IdentifyMessage i -> i.traits();
            default -> throw new AssertionError("unexpected message " + message);
        };
        return ((Number) fields.get("seq")).intValue();
    }

    /**
     * Every acknowledged message reaches the sink, nothing else of these users arrives, and each user's messages
     * arrive (first arrivals) in the order they were enqueued. The processor stored each once, and one the sink got
     * twice is a router retry after an attempt it saw no answer to ({@link DoubleCheck}). The sequence number comes
     * from the SDK's own message (the callback), looked up by the messageId the sink received.
     */
    private void assertDeliveredOnceInOrder(String userPrefix, Acks acks) {
        assertThat(acks.failures).as("messages the SDK reported as failed").isEmpty();
        assertThat(acks.acked).hasSize(USERS * PER_USER);
        Awaitility.await("every acknowledged message at the sink")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> distinct(ofUsers(userPrefix)) >= acks.acked.size());
        DoubleCheck.assertProcessorDoubledNothing(
                database, acks.acked.size(), acks.acked.keySet(), ofUsers(userPrefix));
        List<JsonNode> arrived = ofUsers(userPrefix);
        Set<String> seen = new HashSet<>();
        Map<String, List<Integer>> seqsByUser = new LinkedHashMap<>();
        for (JsonNode event : arrived) {
            String messageId = event.path("messageId").asString();
            Ack ack = acks.acked.get(messageId);
            assertThat(ack)
                    .as("a message the SDK never acknowledged: %s", event)
                    .isNotNull();
            assertThat(event.path("userId").asString()).isEqualTo(ack.userId());
            if (seen.add(messageId))
                seqsByUser.computeIfAbsent(ack.userId(), u -> new ArrayList<>()).add(ack.seq());
        }
        assertThat(seen).isEqualTo(acks.acked.keySet());
        List<Integer> inOrder =
                java.util.stream.IntStream.range(0, PER_USER).boxed().toList();
        assertThat(seqsByUser).hasSize(USERS);
        seqsByUser.forEach((user, seqs) -> assertThat(seqs).as(user).isEqualTo(inOrder));
    }

    private static long distinct(List<JsonNode> events) {
        return events.stream()
                .map(e -> e.path("messageId").asString())
                .distinct()
                .count();
    }

    private List<JsonNode> ofUsers(String userPrefix) {
        return sink.accepted.stream()
                .filter(e -> e.path("userId").asString().startsWith(userPrefix))
                .toList();
    }

    private record Ack(String userId, int seq) {}

    /** What the SDK's callback reported, by messageId. */
    private static final class Acks {
        final Map<String, Ack> acked = new ConcurrentHashMap<>();
        final Map<String, String> failures = new ConcurrentHashMap<>();

        void success(String messageId, String userId, int seq) {
            acked.put(messageId, new Ack(userId, seq));
        }

        void failure(String messageId, Throwable t) {
            failures.put(messageId, String.valueOf(t));
        }

        void awaitAll(int count) {
            Awaitility.await("the SDK's callback for every message")
                    .atMost(3, TimeUnit.MINUTES) // the SDKs retry with backoff on a loaded machine
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> acked.size() + failures.size() >= count);
        }
    }

    private static String workspaceConfig(String sinkUrl) {
        return """
                {"workspaceId":"ws-sdk","sources":[{"id":"src-sdk","name":"Server SDKs",\
                "writeKey":"%s","workspaceId":"ws-sdk","enabled":true,\
                "sourceDefinition":{"id":"def-java","name":"Java","category":""},\
                "destinations":[{"id":"dst-sink","name":"Sink","workspaceId":"ws-sdk","enabled":true,\
                "isProcessorEnabled":true,"config":{"webhookUrl":"%s","webhookMethod":"POST"},\
                "destinationDefinition":{"id":"def-webhook","name":"WEBHOOK","displayName":"Webhook",\
                "config":{"supportedMessageTypes":["alias","group","identify","page","screen","track"]}}}]}]}""".formatted(WRITE_KEY, sinkUrl);
    }
}
