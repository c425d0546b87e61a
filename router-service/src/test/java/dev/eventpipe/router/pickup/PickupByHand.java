package dev.eventpipe.router.pickup;

import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.router.ordering.InFlight;
import dev.eventpipe.router.support.TestJobs;
import dev.eventpipe.testkit.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A router whose pickup a test runs by hand (router.enabled=false: no loop, no sends), on the test database: each
 * pickup's statuses are committed as the loop would, and what it read is counted with jobsdb's
 * {@code jobsdb.jobs.fetched} (jobs returned) and {@code jobsdb.read.windows} (windows walked). Each test starts
 * once the workspace config is loaded.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
abstract class PickupByHand {
    @Autowired
    JobsDbs jobsDbs;

    @Autowired
    Pickup pickup;

    @Autowired
    InFlight inFlight;

    @Autowired
    WorkspaceConfigClient config;

    @Autowired
    MeterRegistry meters;

    /**
     * The subclass's properties: the test database, a workspace config with the enabled WEBHOOK {@code destinations},
     * the router's loop off, and pickups of at most 10 reads of {@code pageSize} jobs per destination.
     */
    static void register(DynamicPropertyRegistry r, int pageSize, String... destinations) throws IOException {
        TestPostgres.register(r);
        Path config = Files.createTempFile("workspace", ".json");
        Files.writeString(config, TestJobs.workspaceConfig(destinations, new String[] {}));
        r.add("workspace-config.path", config::toString);
        r.add("router.enabled", () -> "false");
        r.add("router.job-query-batch-size", () -> String.valueOf(pageSize));
        r.add("router.max-queries-per-pickup", () -> "10");
    }

    @BeforeEach
    void configLoaded() {
        await().atMost(Duration.ofSeconds(30)).until(config::hasLoaded);
    }

    double fetched() {
        return meters.counter("jobsdb.jobs.fetched", "queue", "rt").count();
    }

    double windows() {
        return meters.counter("jobsdb.read.windows", "queue", "rt").count();
    }

    /** One pickup of {@code partitions}, its statuses committed (as PickupLoop does; nothing is handed to a worker). */
    Pickup.Batch pickup(Set<Integer> partitions, Pickup.ReadPositions positions, Instant now) {
        Pickup.Batch batch = pickup.run(partitions, now, positions);
        jobsDbs.queue(Queue.RT).updateStatus(batch.statuses());
        return batch;
    }

    static List<Long> dispatched(Pickup.Batch batch, String destination) {
        return batch.dispatches().stream()
                .map(Map.Entry::getValue)
                .filter(j -> j.destinationId().equals(destination))
                .map(j -> j.jobId())
                .toList();
    }
}
