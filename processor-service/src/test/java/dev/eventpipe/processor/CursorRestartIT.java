package dev.eventpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.PartitionLeases;
import dev.eventpipe.jobsdb.UserPartition;
import dev.eventpipe.processor.partition.LeaseEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The fetch writes nothing, so a gw job in flight (fetched, its batch not committed yet) is unprocessed in the
 * database like any other; only the loop's cursor keeps it out of the next reads. The cursor restarts at 0 when a
 * partition is gained, when batches are abandoned, and now and then when idle, each possibly while batches are in
 * flight: a read from 0 then must not take their jobs again. Each test holds three batches in the transformer, with
 * room in the pipeline for a fourth, causes a restart, then lets them go: every gw job must end with exactly one
 * status, and every event must be stored once, in order. Dedup is off, so a job processed twice would show as its
 * rt jobs twice, not only as a second status (a job stored twice from batches in flight at once is not caught by it
 * anyway when the event has no messageId).
 */
class CursorRestartIT extends TestBedCase {
    static final int PER_USER = 10; // three users: 30 jobs, three batches of ten, each holding every user

    @BeforeEach
    void holdTheTransformer() {
        bed.transformer().hold();
    }

    private ConfigurableApplicationContext start(String holder, String... extra) {
        List<String> settings = new ArrayList<>(List.of(
                "processor.batch.max-jobs=10",
                "processor.pipeline.max-batches-in-flight=4",
                "processor.pipeline.transform-threads=2",
                "processor.transformer.min-backoff=50ms",
                "processor.dedup.enabled=false"));
        settings.addAll(List.of(extra));
        return bed.processor(holder, settings.toArray(String[]::new));
    }

    @Test
    void theIdleRescanWhileBatchesAreInFlightDoesNotFetchTheirJobsAgain() {
        ConfigurableApplicationContext processor = start("rescanning", "processor.cursor-rescan-interval=100ms");
        List<String> users = List.of("user-0", "user-1", "user-2");
        storeAndAwaitThreeBatchesHeld(processor, users);
        // the fetch finds nothing more (idle), so the rescan comes due while the three are in flight
        awaitNothingMoreFetched(processor, "after the idle rescan came due");

        releaseAndAssertEachJobProcessedOnceInOrder(users);
    }

    @Test
    void aPartitionGainedWhileBatchesAreInFlightDoesNotFetchTheirJobsAgain() {
        ConfigurableApplicationContext a = start("replica-a");
        ConfigurableApplicationContext b = start("replica-b");
        await().atMost(Duration.ofSeconds(20)).until(() -> Processors.owned(a) == 32 && Processors.owned(b) == 32);
        Set<Integer> ofA = a.getBean(PartitionLeases.class).owned();
        List<String> users = usersWhosePartition(3, ofA::contains);
        storeAndAwaitThreeBatchesHeld(a, users);
        long generation = a.getBean(LeaseEvents.class).generation();

        b.close(); // gives its leases back: a takes up the other 32 partitions, a new lease generation
        await().atMost(Duration.ofSeconds(20)).until(() -> Processors.owned(a) == 64);
        assertThat(a.getBean(LeaseEvents.class).generation()).isGreaterThan(generation);
        // a user of a gained partition: read once the cursor restarted, i.e. once the three are committed
        List<String> gained = usersWhosePartition(1, p -> !ofA.contains(p));
        GwJobs.interleaved("src-1", "wk-1", gained, 5).store(bed.jobsDbs());
        awaitNothingMoreFetched(a, "after the gain");

        List<String> all = new ArrayList<>(users);
        all.addAll(gained);
        bed.transformer().release();
        await().atMost(Duration.ofSeconds(30)).until(() -> rows.rtCount("src-1") >= 3 * PER_USER + 5);
        assertEachJobProcessedOnceInOrder(all, 3 * PER_USER + 5);
    }

    @Test
    void aPartitionLostAndRegainedWhileBatchesAreInFlightHasThemAbandonedAndReadAgainOnce() {
        ConfigurableApplicationContext processor = start("losing");
        await().atMost(Duration.ofSeconds(20)).until(() -> Processors.owned(processor) == 64);
        List<String> users = List.of("user-0", "user-1", "user-2");
        storeAndAwaitThreeBatchesHeld(processor, users);
        long generation = processor.getBean(LeaseEvents.class).generation();

        // the lease of user-0's partition lapses: the next round cannot renew it (lost: every batch in flight
        // holds a job of it) and takes it up again at once (gained), so the store must refuse those batches
        rows.jdbc()
                .sql("UPDATE jobsdb_partition_leases SET expires_at = now() WHERE partition = :p")
                .param("p", UserPartition.of(GwJobs.userOf("user-0")))
                .update();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> processor.getBean(LeaseEvents.class).generation() > generation);
        awaitNothingMoreFetched(processor, "after the partition was lost and gained again");

        releaseAndAssertEachJobProcessedOnceInOrder(users);
        assertThat(Processors.batches(processor, "abandoned"))
                .as("the first batch fenced by the loss")
                .isPositive();
    }

    private void storeAndAwaitThreeBatchesHeld(ConfigurableApplicationContext processor, List<String> users) {
        GwJobs.interleaved("src-1", "wk-1", users, PER_USER).store(bed.jobsDbs());
        // two batches held in the transformer by the two workers, the third waiting for a worker; none committed
        await().atMost(Duration.ofSeconds(20))
                .until(() -> bed.transformer().held() == 2 && Processors.batchesInFlight(processor) == 3);
        assertThat(rows.rtCount("src-1")).isZero();
        assertThat(rows.gwInState("succeeded")).isZero();
    }

    /**
     * Nothing is fetched while the three are in flight, although the pipeline has room: every job left is in one
     * of them (or, after a gain, in a partition the loop reads only once they are done).
     */
    private void awaitNothingMoreFetched(ConfigurableApplicationContext processor, String when) {
        await("no fourth batch " + when)
                .during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> Processors.batchesInFlight(processor) == 3);
    }

    private void releaseAndAssertEachJobProcessedOnceInOrder(List<String> users) {
        bed.transformer().release();
        await().atMost(Duration.ofSeconds(30)).until(() -> rows.rtCount("src-1") >= users.size() * PER_USER);
        assertEachJobProcessedOnceInOrder(users, users.size() * PER_USER);
    }

    private void assertEachJobProcessedOnceInOrder(List<String> users, int jobs) {
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(10))
                .until(() -> rows.rtCount("src-1") == jobs && rows.gwInState("succeeded") == jobs);
        assertThat(rows.gwJobsWithoutExactlyOneStatus())
                .as("gw jobs without exactly one status row")
                .isZero();
        assertThat(bed.assertOncePerMessageInOrder(users.size())).hasSize(jobs);
    }

    private static List<String> usersWhosePartition(int count, IntPredicate partition) {
        List<String> users = new ArrayList<>();
        for (int i = 0; users.size() < count; i++)
            if (partition.test(UserPartition.of(GwJobs.userOf("user-" + i)))) users.add("user-" + i);
        return users;
    }
}
