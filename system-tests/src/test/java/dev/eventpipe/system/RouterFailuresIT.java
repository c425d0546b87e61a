package dev.eventpipe.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.testkit.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure patterns of a real destination, through the whole data plane as separate processes (gateway, processor,
 * transformer, router) on one PostgreSQL, with a sink whose behaviour each scenario scripts. Each asserts that every
 * event the gateway acknowledged is delivered, none twice, each user's in order, and prints its drain time (first
 * post to last delivery). The scenarios share one running pipeline and keep apart by user ids.
 *
 * Each scenario group has its own source (write key) and destinations (sink paths).
 *
 * <p>The last two scenarios add router processes to the one the pipeline starts with: three routers scaled to one
 * and back to three under load (graceful: zero duplicates), then one of them killed with {@code kill -9} (the
 * duplicates at-least-once allows are counted and printed; nothing lost, nothing reordered).
 *
 * <p>CI runs a short form. The long form (issue 12's sizes: 60 s outages, 20,000 events behind a failing
 * destination, 50,000 events with 5 % random failures, more load while routers come and go) is {@code ./mvnw -B
 * -pl system-tests -am verify -Dtest=none -Dit.test=RouterFailuresIT -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfailsafe.failIfNoSpecifiedTests=false -Dscenarios.long=true} (see system-tests/README.md).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RouterFailuresIT {
    private static final boolean LONG = Boolean.getBoolean("scenarios.long");
    private static final String WRITE_KEY = "router-failures-write-key";
    private static final String RANDOM_KEY = "router-failures-random-key";
    private static final String PEERS_KEY = "router-failures-peers-key";
    private static final String SCALE_KEY = "router-failures-scale-key";
    /**
     * Events per user of the routers' scenarios: the users stop after this many, so a machine that starts router
     * JVMs slowly (minutes) does not pile up tens of thousands of events; at one event per 200 ms the short form
     * keeps sending for 2 minutes, longer than the scaling takes on an unloaded machine.
     */
    private static final int ROUTER_LOAD_PER_USER = LONG ? 1_000_000 : 600;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    static ScenarioSink sink;
    static final List<ServiceProcess> services = new ArrayList<>();
    /** The router processes running now (the pipeline's first, then those the scaling scenarios add). */
    static final List<ServiceProcess> routers = new ArrayList<>();

    static final Map<String, String> env = new HashMap<>();
    static TestPostgres.Database database;
    static String gateway;

    @BeforeAll
    static void start() throws Exception {
        sink = new ScenarioSink();
        Path config = dir.resolve("workspaceConfig.json");
        Files.writeString(config, workspaceConfig());
        database = TestPostgres.newDatabase();
        env.putAll(Cluster.databaseEnv(database));
        env.put("WORKSPACE_CONFIG_PATH", config.toString());
        env.put("ROUTER_DEFAULTS_MINBACKOFF", "1s");
        env.put("ROUTER_DEFAULTS_MAXBACKOFF", "2s");
        env.put("EGRESS_ALLOW", "127.0.0.1/32");
        ServiceProcess transformer = ServiceProcess.start("transformer-service", env);
        services.add(transformer);
        env.put("DEST_TRANSFORM_URL", transformer.url(""));
        for (String module : List.of("gateway-service", "processor-service", "router-service"))
            services.add(ServiceProcess.start(module, env));
        // four JVMs start at once; on a shared 2-core machine under load that took over 5 minutes
        services.forEach(s -> s.awaitHealthy(Duration.ofMinutes(15)));
        gateway = services.get(1).url("/v1/batch");
        routers.add(services.get(3));
    }

    @AfterAll
    static void stop() {
        for (ServiceProcess s : services) s.close();
        if (sink != null) sink.close();
    }

    @Test
    @Order(1)
    void twoHundredUsersWhoseFirstTwoDeliveriesAnswer500AllArriveOnceInOrder() throws Exception {
        int users = 200;
        int perUser = LONG ? 10 : 3;
        sink.failFirstPerUser(2);
        try {
            Instant start = Instant.now();
            post(WRITE_KEY, "five", users, 0, perUser);
            awaitDelivered("/hook", "five", users * perUser, Duration.ofMinutes(LONG ? 10 : 4));
            report("200 users, first 2 deliveries of each answer 500", users * perUser, start, "/hook", "five");
        } finally {
            sink.failFirstPerUser(0);
        }
        assertOnceInOrder("/hook", "five", users, perUser);
    }

    @Test
    @Order(2)
    void aSinkRefusingConnectionsThenAnswering503ThenBackLosesAndDoublesNothing() throws Exception {
        int users = 50;
        int perUser = LONG ? 20 : 6; // per outage
        Duration outage = Duration.ofSeconds(LONG ? 60 : 20);
        Instant start = Instant.now();
        sink.refuse();
        try {
            post(WRITE_KEY, "refused", users, 0, perUser);
            Thread.sleep(outage); // the outage itself is the scenario: the sink stays closed this long
        } finally {
            sink.accept();
        }
        awaitDelivered("/hook", "refused", users * perUser, Duration.ofMinutes(LONG ? 10 : 4));
        report(
                "sink refuses connections for " + outage.toSeconds() + " s, then recovers",
                users * perUser,
                start,
                "/hook",
                "refused");

        Instant second = Instant.now();
        sink.fail("/hook");
        try {
            post(WRITE_KEY, "refused", users, perUser, 2 * perUser); // the same users' next events
            Thread.sleep(outage); // every request answered 503 this long
        } finally {
            sink.heal("/hook");
        }
        awaitDelivered("/hook", "refused", users * 2 * perUser, Duration.ofMinutes(LONG ? 10 : 4));
        report(
                "then the sink answers 503 for " + outage.toSeconds() + " s, then recovers",
                users * perUser,
                second,
                "/hook",
                "refused");
        assertOnceInOrder("/hook", "refused", users, 2 * perUser);
    }

    @Test
    @Order(3)
    void aDestinationFailingForThousandsOfEventsDoesNotHoldUpAHealthyOne() throws Exception {
        int users = 100;
        int perUser = LONG ? 210 : 20; // long form: 21,000 events behind the failing destination
        sink.fail("/down");
        Instant start = Instant.now();
        try {
            post(WRITE_KEY, "two", users, 0, perUser);
            awaitDelivered("/hook", "two", users * perUser, Duration.ofMinutes(LONG ? 20 : 4));
            report("healthy destination beside one failing", users * perUser, start, "/hook", "two");
            assertThat(sink.acceptedOn("/down").stream().filter(a -> a.userId().startsWith("two-")))
                    .as("the failing destination accepted nothing meanwhile")
                    .isEmpty();
        } finally {
            sink.heal("/down");
        }
        awaitDelivered("/down", "two", users * perUser, Duration.ofMinutes(LONG ? 20 : 4));
        report("failing destination after it recovered", users * perUser, start, "/down", "two");
        assertOnceInOrder("/hook", "two", users, perUser);
        assertOnceInOrder("/down", "two", users, perUser);
        System.out.printf(
                "lag (delivery - gateway receipt): healthy p50 %s p99 %s; failing (after recovery) p50 %s p99 %s%n",
                lag("/hook", "two", 50), lag("/hook", "two", 99), lag("/down", "two", 50), lag("/down", "two", 99));
    }

    @Test
    @Order(4)
    void fivePercentOfRequestsFailingAtRandomLoseAndDoubleNothing() throws Exception {
        int users = LONG ? 200 : 100;
        int perUser = LONG ? 250 : 50; // long form: 50,000 events
        int failedBefore = sink.failed.get();
        sink.failAtRandom("/random", 0.05);
        Instant start = Instant.now();
        try {
            post(RANDOM_KEY, "random", users, 0, perUser);
            awaitDelivered("/random", "random", users * perUser, Duration.ofMinutes(LONG ? 30 : 6));
        } finally {
            sink.failAtRandom("/random", 0);
        }
        report("5 % of requests answer 500 at random", users * perUser, start, "/random", "random");
        System.out.printf("  requests answered 500: %d%n", sink.failed.get() - failedBefore);
        assertOnceInOrder("/random", "random", users, perUser);
    }

    /**
     * Three destinations of one source, each a peer that misbehaves: one sends the headers of each user's first
     * delivery and stalls the body (the router's whole-exchange timeout, 10 s, cuts it off and retries), one
     * answers 301 (a GET webhook: the event is in the query, which the redirect keeps) and one 307 (a POST: method
     * and body kept) to another path, one answers each user's first delivery 429 with {@code Retry-After: 9999999}
     * (the suite's max backoff, 2 s, caps it: delivery completes).
     */
    @Test
    @Order(5)
    void stalledBodiesRedirectsAndAHugeRetryAfterStillDeliverEverythingOnceInOrder() throws Exception {
        int users = LONG ? 50 : 8; // a worker meets its users' stalls (10 s each) one after the other
        int perUser = LONG ? 10 : 3;
        sink.stallFirstPerUser("/stall", Duration.ofSeconds(30));
        sink.redirect("/moved", 301, "/moved-here");
        sink.redirect("/temp", 307, "/temp-here");
        sink.retryAfterFirstPerUser("/busy", "9999999");
        Instant start = Instant.now();
        post(PEERS_KEY, "peer", users, 0, perUser);
        Map<String, String> scenarios = Map.of(
                "/stall", "headers sent, body stalled (each user's first delivery)",
                "/moved-here", "301 to another path (GET webhook)",
                "/temp-here", "307 to another path (POST webhook)",
                "/busy", "429 with Retry-After: 9999999 (each user's first delivery), max backoff 2 s");
        for (String path : List.of("/stall", "/moved-here", "/temp-here", "/busy")) {
            awaitDelivered(path, "peer", users * perUser, Duration.ofMinutes(LONG ? 10 : 4));
            report(scenarios.get(path), users * perUser, start, path, "peer");
        }
        for (String path : List.of("/stall", "/moved-here", "/temp-here", "/busy"))
            assertOnceInOrder(path, "peer", users, perUser);
        assertThat(sink.acceptedOn("/moved"))
                .as("a redirecting path accepts nothing")
                .isEmpty();
        assertThat(sink.acceptedOn("/temp"))
                .as("a redirecting path accepts nothing")
                .isEmpty();
    }

    /**
     * Three router processes share the 64 partitions; while users keep sending, two are stopped (SIGTERM: they
     * give their partitions back after their work on them settled), then two new ones start and take their share.
     * A graceful handover duplicates nothing: every acknowledged event arrives exactly once, each user's in order.
     */
    @Test
    @Order(6)
    void threeRoutersScaledToOneAndBackToThreeUnderLoadDeliverEverythingExactlyOnceInOrder() throws Exception {
        int step = LONG ? 3_000 : 300;
        ensureRouters(3);
        EventLoad load = new EventLoad(
                gateway, SCALE_KEY, "scale", LONG ? 100 : 30, ROUTER_LOAD_PER_USER, 1, Duration.ofMillis(200));
        Instant start = Instant.now();
        load.start();
        try {
            awaitArrivals("/scale", "scale", step);
            List<ServiceProcess> leaving = List.copyOf(routers.subList(1, 3));
            for (ServiceProcess r : leaving) r.terminate(); // 3 -> 1: SIGTERM to both at once
            for (ServiceProcess r : leaving)
                assertThat(r.stop(Duration.ofMinutes(3)))
                        .as("router stopped gracefully")
                        .isTrue();
            routers.removeAll(leaving);
            System.out.printf("  scaled 3 -> 1 after %.1f s%n", since(start));
            awaitArrivals("/scale", "scale", 2 * step);
            ensureRouters(3); // 1 -> 3
            System.out.printf("  scaled 1 -> 3 after %.1f s%n", since(start));
            awaitArrivals("/scale", "scale", 3 * step);
        } finally {
            load.stop();
        }
        Set<String> acknowledged = awaitLoadDelivered(load, "/scale", "scale");
        // the users stop at ROUTER_LOAD_PER_USER or when told: the drain after their last acknowledged event
        Instant lastAck = Instant.now().minusNanos(System.nanoTime() - load.lastAckNanos.get());
        report("3 routers -> 1 -> 3 under load", acknowledged.size(), start, "/scale", "scale");
        System.out.printf(
                "  drain after the last acknowledged event: %.1f s%n",
                Duration.between(lastAck, last("/scale", "scale")).toMillis() / 1000.0);
        Map<String, Long> twice = duplicates("/scale", "scale");
        assertThat(twice).as("a graceful rebalance delivers nothing twice").isEmpty();
        assertLoadInOrder(load, "/scale", "scale", false);
    }

    /**
     * Three routers, users sending; one router is killed with {@code kill -9} while it delivers. Its partitions
     * are taken over when its leases expire ({@code lease-ttl}, 30 s), its {@code executing} jobs retried. Nothing
     * is lost and no user's events are reordered; the duplicates at-least-once allows (a send whose status never
     * committed) are counted and printed. The two survivors end up holding all 64 partitions, and every rt job of
     * the scenario ends {@code succeeded}: none is left {@code executing} by the killed router. (These two were
     * router-service's {@code ReplicasIT}, which imitated the kill in-process through test hooks.)
     */
    @Test
    @Order(7)
    void aRouterKilledMidFlightLosesAndReordersNothing() throws Exception {
        int step = LONG ? 3_000 : 300;
        ensureRouters(3);
        EventLoad load = new EventLoad(
                gateway, SCALE_KEY, "kill", LONG ? 100 : 30, ROUTER_LOAD_PER_USER, 1, Duration.ofMillis(200));
        Instant start = Instant.now();
        load.start();
        try {
            awaitArrivals("/scale", "kill", step);
            ServiceProcess victim = routers.stream()
                    .filter(r -> r.ownedPartitions() > 0)
                    .findFirst()
                    .orElseThrow();
            victim.kill();
            routers.remove(victim);
            System.out.printf("  kill -9 of a router after %.1f s%n", since(start));
            awaitArrivals("/scale", "kill", 2 * step);
        } finally {
            load.stop();
        }
        Set<String> acknowledged = awaitLoadDelivered(load, "/scale", "kill");
        report("kill -9 of one of 3 routers under load", acknowledged.size(), start, "/scale", "kill");
        Awaitility.await("the two survivors hold all 64 partitions")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> routers.stream()
                                .mapToInt(ServiceProcess::ownedPartitions)
                                .sum()
                        == 64);
        assertThat(rtJobs("kill").all()).as("rt jobs of the scenario").isPositive();
        Awaitility.await("every rt job of the scenario succeeded, none left executing by the killed router")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> rtJobs("kill").unfinished() == 0);
        Map<String, Long> twice = duplicates("/scale", "kill");
        System.out.printf(
                "  delivered twice after the kill -9 (sends whose status never committed): %d events %s%n",
                twice.size(), twice.keySet());
        assertLoadInOrder(load, "/scale", "kill", true);
    }

    /** Starts router processes (all at once) until {@code n} run, and waits until the partitions are spread. */
    private static void ensureRouters(int n) {
        List<ServiceProcess> started = new ArrayList<>();
        while (routers.size() + started.size() < n) started.add(ServiceProcess.start("router-service", env));
        services.addAll(started);
        started.forEach(r -> r.awaitHealthy(Duration.ofMinutes(15))); // generous: a loaded machine starts JVMs slowly
        routers.addAll(started);
        Awaitility.await("partitions spread over " + n + " routers")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> routers.stream().allMatch(r -> r.ownedPartitions() > 0)
                        && routers.stream()
                                        .mapToInt(ServiceProcess::ownedPartitions)
                                        .sum()
                                == 64);
    }

    /** A scenario's rt jobs, and how many of them have no {@code succeeded} status. */
    private record RtJobs(long all, long unfinished) {}

    private static final String RT_JOBS = """
            SELECT count(*),
                   count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM rt_job_status s
                                    WHERE s.job_id = j.job_id AND s.job_state::text = 'succeeded'))
            FROM rt_jobs j WHERE j.user_id LIKE ?""";

    /** The rt jobs of a scenario's users ({@code <prefix>-<n>}). A compaction may remove finished ones, never others. */
    private static RtJobs rtJobs(String prefix) throws SQLException {
        try (Connection c = database.connect();
                PreparedStatement st = c.prepareStatement(RT_JOBS)) {
            st.setString(1, "%" + prefix + "-%");
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new RtJobs(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    private static void awaitArrivals(String path, String prefix, int count) {
        Awaitility.await(count + " arrivals at " + path)
                .atMost(Duration.ofMinutes(LONG ? 20 : 6))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> ofScenario(path, prefix).size() >= count);
    }

    /** Waits for the users to stop and every event the gateway acknowledged to arrive; returns those events. */
    private static Set<String> awaitLoadDelivered(EventLoad load, String path, String prefix) {
        Awaitility.await("users stop").atMost(Duration.ofMinutes(2)).until(load::finished);
        Set<String> acknowledged = Set.copyOf(load.acknowledged);
        Awaitility.await("every acknowledged event delivered")
                .atMost(Duration.ofMinutes(LONG ? 20 : 6))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> ofScenario(path, prefix).stream()
                        .map(ScenarioSink.Arrival::messageId)
                        .collect(Collectors.toSet())
                        .containsAll(acknowledged));
        return acknowledged;
    }

    private static Map<String, Long> duplicates(String path, String prefix) {
        Map<String, Long> twice = new TreeMap<>(ofScenario(path, prefix).stream()
                .collect(Collectors.groupingBy(ScenarioSink.Arrival::messageId, Collectors.counting())));
        twice.values().removeIf(c -> c == 1);
        return twice;
    }

    /**
     * No user's events reordered, every acknowledged one delivered: each user's distinct events, by first arrival,
     * start with every acknowledged one in order, and each arrival is the event after the one before it or, only
     * where {@code duplicatesAllowed}, a step back to an event already delivered: after a {@code kill -9} the new
     * owner resends, in order, the sends whose status the killed router never committed (28..32, 28..32, 33, ...).
     * An event arriving before an earlier one that had not arrived is a reorder either way.
     */
    private static void assertLoadInOrder(EventLoad load, String path, String prefix, boolean duplicatesAllowed) {
        Map<String, List<Integer>> byUser = new TreeMap<>();
        for (ScenarioSink.Arrival a : ofScenario(path, prefix))
            byUser.computeIfAbsent(a.userId(), u -> new ArrayList<>()).add(a.seq());
        load.acknowledgedPerUser().forEach((user, count) -> {
            List<Integer> seqs = byUser.getOrDefault(prefix + "-" + user, List.of());
            if (!duplicatesAllowed)
                assertThat(seqs).as("%s-%d in order, each once", prefix, user).isSorted();
            for (int i = 1; i < seqs.size(); i++)
                assertThat(seqs.get(i) == seqs.get(i - 1) + 1 || seqs.get(i) <= seqs.get(i - 1))
                        .as(
                                "%s-%d: arrival %d (seq %d after %d) is the next event or a resend: %s",
                                prefix, user, i, seqs.get(i), seqs.get(i - 1), seqs)
                        .isTrue();
            assertThat(seqs.stream().distinct().toList())
                    .as("%s-%d: every acknowledged event", prefix, user)
                    .startsWith(IntStream.range(0, count).boxed().toArray(Integer[]::new));
        });
    }

    private static double since(Instant start) {
        return Duration.between(start, Instant.now()).toMillis() / 1000.0;
    }

    private static Instant last(String path, String prefix) {
        return ofScenario(path, prefix).stream()
                .map(ScenarioSink.Arrival::at)
                .max(Instant::compareTo)
                .orElseThrow();
    }

    private static void awaitDelivered(String path, String prefix, int count, Duration atMost) {
        Awaitility.await(count + " events at " + path)
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> ofScenario(path, prefix).size() >= count);
    }

    private static List<ScenarioSink.Arrival> ofScenario(String path, String prefix) {
        return sink.acceptedOn(path).stream()
                .filter(a -> a.userId().startsWith(prefix + "-"))
                .toList();
    }

    private static void assertOnceInOrder(String path, String prefix, int users, int perUser) {
        List<ScenarioSink.Arrival> arrivals = ofScenario(path, prefix);
        assertThat(arrivals.stream().map(ScenarioSink.Arrival::messageId).distinct())
                .as("events delivered to %s, each once", path)
                .hasSize(arrivals.size())
                .hasSize(users * perUser);
        Map<String, List<Integer>> byUser = new TreeMap<>();
        for (ScenarioSink.Arrival a : arrivals)
            byUser.computeIfAbsent(a.userId(), u -> new ArrayList<>()).add(a.seq());
        assertThat(byUser).hasSize(users);
        List<Integer> expected = new ArrayList<>();
        for (int seq = 0; seq < perUser; seq++) expected.add(seq);
        byUser.forEach(
                (user, seqs) -> assertThat(seqs).as("%s at %s", user, path).isEqualTo(expected));
    }

    private static void report(String scenario, int events, Instant start, String path, String prefix) {
        Instant last = ofScenario(path, prefix).stream()
                .map(ScenarioSink.Arrival::at)
                .max(Instant::compareTo)
                .orElse(start);
        System.out.printf(
                "scenario: %s: %d events, drain %.1f s (%s form)%n",
                scenario, events, Duration.between(start, last).toMillis() / 1000.0, LONG ? "long" : "short");
    }

    private static Duration lag(String path, String prefix, int percentile) {
        List<Duration> lags = ofScenario(path, prefix).stream()
                .map(a -> Duration.between(a.receivedAt(), a.at()))
                .sorted()
                .toList();
        return lags.isEmpty() ? Duration.ZERO : lags.get(Math.min(lags.size() - 1, lags.size() * percentile / 100));
    }

    /**
     * Posts one /v1/batch per round, each holding the next event of every user (seq {@code from} to {@code to - 1});
     * every batch must be acked. The event names itself in its properties too ({@code u}, {@code m}), for a GET
     * webhook, whose request carries only the properties.
     */
    private static void post(String writeKey, String prefix, int users, int from, int to) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        for (int seq = from; seq < to; seq++) {
            StringBuilder batch = new StringBuilder("{\"batch\":[");
            for (int u = 0; u < users; u++) {
                if (u > 0) batch.append(',');
                String user = prefix + "-" + u;
                String messageId = user + "-" + seq;
                batch.append("""
                        {"type":"track","event":"Step","userId":"%s","anonymousId":"anon-%s","messageId":"%s",\
                        "properties":{"seq":%d,"u":"%s","m":"%s"},"sentAt":"2026-01-01T00:00:01.000Z",\
                        "originalTimestamp":"2026-01-01T00:00:00.000Z"}""".formatted(user, user, messageId, seq, user, messageId));
            }
            batch.append("]}");
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway))
                    .header("Authorization", auth)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(batch.toString()))
                    .build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    /** One source per scenario group, so each group's events go only to its own destinations (sink paths). */
    private static String workspaceConfig() {
        return """
                {"workspaceId":"ws-failures","sources":[%s,%s,%s,%s]}""".formatted(
                        source(
                                "src-1",
                                WRITE_KEY,
                                destination("dst-hook", "/hook", "POST"),
                                destination("dst-down", "/down", "POST")),
                        source("src-random", RANDOM_KEY, destination("dst-random", "/random", "POST")),
                        source(
                                "src-peers",
                                PEERS_KEY,
                                destination("dst-stall", "/stall", "POST"),
                                destination("dst-moved", "/moved", "GET"),
                                destination("dst-temp", "/temp", "POST"),
                                destination("dst-busy", "/busy", "POST")),
                        source("src-scale", SCALE_KEY, destination("dst-scale", "/scale", "POST")));
    }

    private static String source(String id, String writeKey, String... destinations) {
        return """
                {"id":"%s","name":"%s","writeKey":"%s","workspaceId":"ws-failures","enabled":true,\
                "sourceDefinition":{"id":"def-http","name":"HTTP","category":""},\
                "destinations":[%s]}""".formatted(id, id, writeKey, String.join(",", destinations));
    }

    private static String destination(String id, String path, String method) {
        return """
                {"id":"%s","name":"%s","workspaceId":"ws-failures","enabled":true,\
                "isProcessorEnabled":true,"config":{"webhookUrl":"%s","webhookMethod":"%s"},\
                "destinationDefinition":{"id":"def-webhook","name":"WEBHOOK","displayName":"Webhook",\
                "config":{"supportedMessageTypes":["alias","group","identify","page","screen","track"]}}}""".formatted(id, id, sink.url(path), method);
    }
}
