package dev.eventpipe.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Scale-out on one PostgreSQL, as the suite runs in production: 2 gateways behind HAProxy, 3 processors and 3
 * routers, users sending events one after the other (each at most 4 a second in CI's short form), and replicas added and removed while they do: a third gateway joins
 * the load balancer, a fourth processor and a fourth router start, a router is killed with kill -9, a gateway is
 * drained and stopped, a processor is stopped. Every acknowledged event reaches the sink once, each user's events
 * in the order the user sent them.
 *
 * <p>Not part of {@code ./mvnw verify} (it starts ten JVMs and HAProxy): run it by name, {@code ./mvnw -pl
 * system-tests -am verify -Dit.test=ScaleOutIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfailsafe.failIfNoSpecifiedTests=false}, with {@code -Dscaleout.users=100 -Dscaleout.pace-ms=50} for more load.
 */
class ScaleOutIT {
    private static final int USERS = Integer.getInteger("scaleout.users", 20);
    private static final Duration PACE = Duration.ofMillis(Long.getLong("scaleout.pace-ms", 250));

    @TempDir
    Path dir;

    @Test
    void gatewaysProcessorsAndRoutersAddedRemovedAndKilledUnderLoadLoseReorderAndDoubleNothing() throws Exception {
        try (Cluster cluster = new Cluster(dir)) {
            cluster.addGateway(1);
            cluster.addGateway(2);
            for (int i = 0; i < 3; i++) {
                cluster.processors.add(cluster.start("processor-service"));
                cluster.routers.add(cluster.start("router-service"));
            }
            cluster.processors.forEach(ServiceProcess::awaitHealthy);
            cluster.routers.forEach(ServiceProcess::awaitHealthy);

            EventLoad load =
                    new EventLoad(cluster.proxy.url("/v1/batch"), Cluster.WRITE_KEY, USERS, 1_000_000, 1, PACE).start();
            int step = 0;
            awaitAcknowledged(load, ++step * 200);
            cluster.addGateway(3);
            awaitAcknowledged(load, ++step * 200);
            cluster.addProcessor();
            awaitAcknowledged(load, ++step * 200);
            cluster.routers.getFirst().kill(); // kill -9 while it delivers
            awaitAcknowledged(load, ++step * 200);
            cluster.addRouter();
            awaitAcknowledged(load, ++step * 200);
            cluster.proxy.disable(1);
            cluster.gateways.getFirst().close(); // drained, then stopped gracefully
            awaitAcknowledged(load, ++step * 200);
            cluster.processors.getFirst().close();
            awaitAcknowledged(load, ++step * 200);
            load.stop();
            Awaitility.await("users stop").atMost(Duration.ofMinutes(2)).until(load::finished);

            Set<String> acknowledged = Set.copyOf(load.acknowledged);
            Awaitility.await("every acknowledged event delivered")
                    .atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> delivered(cluster).containsAll(acknowledged));
            double seconds = (load.lastAckNanos.get() - load.firstSentNanos.get()) / 1e9;
            System.out.printf(
                    "scale-out: %d events acknowledged by the gateways in %.1f s (%.0f/s), %d client retries%n",
                    acknowledged.size(), seconds, acknowledged.size() / seconds, load.retries.get());

            List<JsonNode> arrivals = List.copyOf(cluster.sink.accepted);
            Set<String> once = new HashSet<>();
            List<String> twice = new ArrayList<>();
            Map<String, List<Integer>> byUser = new TreeMap<>();
            for (JsonNode event : arrivals) {
                String id = event.path("messageId").asString();
                if (!once.add(id)) twice.add(id);
                byUser.computeIfAbsent(event.path("userId").asString(), u -> new ArrayList<>())
                        .add(event.path("properties").path("seq").asInt());
            }
            assertThat(twice).as("delivered twice").isEmpty();
            assertThat(once).containsAll(acknowledged);
            load.acknowledgedPerUser()
                    .forEach((user, count) -> assertThat(byUser.get("user-" + user))
                            .as("user-" + user + ": every acknowledged event, in order")
                            .isSorted()
                            .startsWith(java.util.stream.IntStream.range(0, count)
                                    .boxed()
                                    .toArray(Integer[]::new)));
        }
    }

    private static void awaitAcknowledged(EventLoad load, int count) {
        Awaitility.await(count + " events acknowledged")
                .atMost(Duration.ofMinutes(3))
                .until(() -> load.acknowledged.size() >= count);
    }

    private static Set<String> delivered(Cluster cluster) {
        Set<String> ids = new HashSet<>();
        for (JsonNode event : cluster.sink.accepted)
            ids.add(event.path("messageId").asString());
        return ids;
    }
}
