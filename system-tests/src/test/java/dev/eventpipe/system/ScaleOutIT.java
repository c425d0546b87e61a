package dev.eventpipe.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Scale-out on one PostgreSQL, as the suite runs in production: 2 gateways behind Debian's HAProxy, 3 processors
 * and 3 routers, users sending events one after the other, and replicas added and removed while they do: a third
 * gateway joins the load balancer, a fourth processor starts, a router that owns partitions is killed with
 * {@code kill -9}, a fourth router starts, a gateway is drained and stopped, a processor is stopped (both
 * gracefully). Every acknowledged event reaches the sink, each user's in the order the user sent them; the only
 * duplicates allowed are the kill -9's (sends whose status the killed router never committed, resent in order by
 * the partition's next owner): they are counted and printed.
 *
 * <p>The short form: 20 users, each at most 4 events a second and 3,000 events; after each change the test waits
 * for 200 more acknowledged events before the next. The long form, {@code -Dscaleout.long=true}: 100 users at up to 20 a
 * second each, without an event cap, 2,000 events after each change. By name: {@code ./mvnw -B -pl system-tests -am
 * verify -Dit.test=ScaleOutIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfailsafe.failIfNoSpecifiedTests=false} (needs {@code haproxy}; {@code .ci/run} installs it). Each step prints
 * its time since the start and the machine's load average, so a slow run on a busy machine reads as such.
 */
class ScaleOutIT {
    private static final boolean LONG = Boolean.getBoolean("scaleout.long");
    private static final int USERS = Integer.getInteger("scaleout.users", LONG ? 100 : 20);
    private static final Duration PACE = Duration.ofMillis(Long.getLong("scaleout.pace-ms", LONG ? 50 : 250));
    /** Acknowledged events between two changes of the cluster. */
    private static final int STEP = LONG ? 2_000 : 200;
    /**
     * Events per user: a bound on the short form's backlog (60,000 events) for a machine that starts JVMs very
     * slowly; at 4 a second its users send for 12.5 minutes, longer than its changes took on the 2-core machine at a
     * load average of 30-45 (each JVM start there took up to 5 minutes).
     */
    private static final int PER_USER = LONG ? 1_000_000 : 3_000;

    @TempDir
    Path dir;

    private final long started = System.nanoTime();

    @Test
    void gatewaysProcessorsAndRoutersAddedRemovedAndKilledUnderLoadLoseAndReorderNothing() throws Exception {
        try (Cluster cluster = new Cluster(dir)) {
            progress("transformer healthy, HAProxy up");
            // 2 gateways, 3 processors and 3 routers start at once (one JVM start after the other takes minutes
            // on a busy machine), then the gateways join the load balancer
            List<ServiceProcess> gateways = List.of(cluster.start("gateway-service"), cluster.start("gateway-service"));
            for (int i = 0; i < 3; i++) {
                cluster.processors.add(cluster.start("processor-service"));
                cluster.routers.add(cluster.start("router-service"));
            }
            gateways.forEach(ServiceProcess::awaitHealthy);
            cluster.processors.forEach(ServiceProcess::awaitHealthy);
            cluster.routers.forEach(ServiceProcess::awaitHealthy);
            cluster.enableGateway(1, gateways.get(0));
            cluster.enableGateway(2, gateways.get(1));
            progress("2 gateways, 3 processors, 3 routers healthy");

            EventLoad load =
                    new EventLoad(cluster.proxy.url("/v1/batch"), Cluster.WRITE_KEY, USERS, PER_USER, 1, PACE).start();
            awaitMoreAcknowledged(load);
            cluster.addGateway(3);
            progress("a third gateway joined the load balancer");
            awaitMoreAcknowledged(load);
            cluster.addProcessor();
            progress("a fourth processor started");
            awaitMoreAcknowledged(load);
            ServiceProcess victim = cluster.routers.stream()
                    .filter(r -> r.ownedPartitions() > 0)
                    .findFirst()
                    .orElseThrow();
            int victimsPartitions = victim.ownedPartitions();
            victim.kill(); // kill -9 while it delivers
            cluster.routers.remove(victim);
            progress("kill -9 of a router that owned " + victimsPartitions + " partitions");
            awaitMoreAcknowledged(load);
            cluster.addRouter();
            progress("a fourth router started");
            awaitMoreAcknowledged(load);
            cluster.proxy.disable(1);
            assertThat(cluster.gateways.getFirst().stop(Duration.ofMinutes(3)))
                    .as("the drained gateway stopped gracefully (SIGTERM)")
                    .isTrue();
            progress("gateway 1 drained in HAProxy and stopped");
            awaitMoreAcknowledged(load);
            assertThat(cluster.processors.getFirst().stop(Duration.ofMinutes(3)))
                    .as("the processor stopped gracefully (SIGTERM)")
                    .isTrue();
            progress("processor 1 stopped");
            awaitMoreAcknowledged(load);
            load.stop();
            Awaitility.await("users stop").atMost(Duration.ofMinutes(2)).until(load::finished);
            progress("users stopped");

            Set<String> acknowledged = Set.copyOf(load.acknowledged);
            Awaitility.await("every acknowledged event delivered")
                    .atMost(Duration.ofMinutes(LONG ? 30 : 10))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> delivered(cluster).containsAll(acknowledged));
            progress("every acknowledged event delivered");
            double seconds = (load.lastAckNanos.get() - load.firstSentNanos.get()) / 1e9;
            List<JsonNode> arrivals = List.copyOf(cluster.sink.accepted);
            Map<String, Long> twice = new TreeMap<>(arrivals.stream()
                    .collect(Collectors.groupingBy(e -> e.path("messageId").asString(), Collectors.counting())));
            twice.values().removeIf(c -> c == 1);
            System.out.printf(
                    "scale-out (%s form): %d events acknowledged by the gateways in %.1f s (%.0f/s), %d client"
                            + " retries; delivered twice after the kill -9: %d events %s%n",
                    LONG ? "long" : "short",
                    acknowledged.size(),
                    seconds,
                    acknowledged.size() / seconds,
                    load.retries.get(),
                    twice.size(),
                    twice.keySet());
            assertLoadInOrder(load, cluster.sink.sequencesByUser());
        }
    }

    /**
     * Nothing lost, nothing reordered: each user's distinct events, by first arrival, start with every acknowledged
     * one in order, and each arrival is the event after the one before it or a step back to one already delivered
     * (after the kill -9 the new owner resends, in order, what the killed router sent without committing its status:
     * 28..32, 28..32, 33, ...). An event arriving before an earlier one that had not arrived fails.
     */
    private static void assertLoadInOrder(EventLoad load, Map<String, List<Integer>> byUser) {
        load.acknowledgedPerUser().forEach((user, count) -> {
            List<Integer> seqs = byUser.getOrDefault("user-" + user, List.of());
            for (int i = 1; i < seqs.size(); i++)
                assertThat(seqs.get(i) == seqs.get(i - 1) + 1 || seqs.get(i) <= seqs.get(i - 1))
                        .as(
                                "user-%d: arrival %d (seq %d after %d) is the next event or a resend: %s",
                                user, i, seqs.get(i), seqs.get(i - 1), seqs)
                        .isTrue();
            assertThat(seqs.stream().distinct().toList())
                    .as("user-%d: every acknowledged event, in order", user)
                    .startsWith(IntStream.range(0, count).boxed().toArray(Integer[]::new));
        });
    }

    /**
     * Waits until the users have {@link #STEP} more events acknowledged than now, so the next change happens while
     * they send (said so when they have sent all theirs: a machine that starts JVMs very slowly).
     */
    private void awaitMoreAcknowledged(EventLoad load) {
        int count = load.acknowledged.size() + STEP;
        Awaitility.await(count + " events acknowledged")
                .atMost(Duration.ofMinutes(LONG ? 10 : 5))
                .until(() -> load.acknowledged.size() >= count || load.finished());
        if (load.acknowledged.size() < count)
            progress("the users sent all their events before " + count + " were acknowledged (a slow machine):"
                    + " the next change runs without load");
    }

    private static Set<String> delivered(Cluster cluster) {
        return cluster.sink.accepted.stream()
                .map(event -> event.path("messageId").asString())
                .collect(Collectors.toSet());
    }

    private void progress(String what) {
        String load;
        try {
            load = String.join(
                    " ",
                    List.of(Files.readString(Path.of("/proc/loadavg")).split(" "))
                            .subList(0, 3));
        } catch (IOException | RuntimeException e) {
            load = "?";
        }
        System.out.printf("  scale-out %6.1f s (load %s): %s%n", (System.nanoTime() - started) / 1e9, load, what);
    }
}
