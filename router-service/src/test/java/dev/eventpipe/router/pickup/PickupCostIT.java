package dev.eventpipe.router.pickup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.jobsdb.UserPartition;
import dev.eventpipe.router.support.TestJobs;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What a pickup reads does not grow with a failing destination's backlog (issue 12: "100,000 pending jobs of a failing
 * destination never delay a healthy one"), and recovered jobs of a user go out together. The pickup is run by hand
 * ({@link PickupByHand}), the jobs it returned counted. No time is asserted.
 */
class PickupCostIT extends PickupByHand {
    static final Set<Integer> ALL = new HashSet<>(IntStream.range(0, 64).boxed().toList());

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws IOException {
        // the production window: 10 queries of 1,000 jobs per destination
        register(r, 1000, "d-down", "d-fine", "d-recovered", "d-answered");
    }

    /** One pickup of every partition. */
    Pickup.Batch pickup(Pickup.ReadPositions positions, Instant now) {
        return pickup(ALL, positions, now);
    }

    @Test
    void aFailingDestinationsBacklogIsNeitherReadNorAheadOfAHealthyOne() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        Instant now = Instant.now();
        // the failing destination: 4 users x 3,000 jobs, more than its whole pickup window (10 x 1,000) ...
        List<NewJob> down = new ArrayList<>();
        for (int i = 0; i < 3_000; i++)
            for (int u = 0; u < 4; u++)
                down.add(TestJobs.job(
                        "WEBHOOK", "d-down", "http://127.0.0.1:9/down", "du-" + u, "down-" + u + "-" + i, i));
        List<Long> downIds = rt.store(down);
        // ... each user's first job failed and in backoff (the others never read)
        List<StatusUpdate> failed = new ArrayList<>();
        for (int u = 0; u < 4; u++) {
            long head = downIds.get(u);
            failed.add(StatusUpdate.executing(head, 1, now.minusSeconds(5)));
            failed.add(StatusUpdate.failed(head, 1, now.minusSeconds(4), now.plus(Duration.ofHours(1)))
                    .withResponse("503", "{}"));
        }
        rt.updateStatus(failed);
        // the healthy destination's jobs come after the whole backlog
        List<NewJob> fine = new ArrayList<>();
        for (int i = 0; i < 30; i++)
            fine.add(TestJobs.job("WEBHOOK", "d-fine", "http://127.0.0.1:9/fine", "fu-" + (i % 3), "fine-" + i, i));
        List<Long> fineIds = rt.store(fine);

        double before = fetched();
        Pickup.Batch first = pickup(Pickup.ReadPositions.START, now);
        assertThat(dispatched(first, "d-fine"))
                .as("the first pickup hands out every healthy job")
                .isEqualTo(fineIds);
        assertThat(dispatched(first, "d-down")).isEmpty();
        assertThat(first.statuses())
                .as("no status for the failing destination's held jobs (no `waiting` row per job and pickup)")
                .allMatch(s -> fineIds.contains(s.jobId()));
        assertThat(fetched() - before)
                .as("jobs the first pickup read: the healthy ones, none of the 12,000 held")
                .isEqualTo(fineIds.size());

        // the next pickups (the healthy users in flight, then settled) read nothing of the backlog either
        first.dispatches()
                .forEach(d ->
                        inFlight.handedOver(d.getValue().key(), d.getValue().jobId()));
        before = fetched();
        Pickup.Batch second = pickup(first.next(), now);
        assertThat(second.dispatches()).isEmpty();
        assertThat(fetched() - before)
                .as("jobs read while the healthy users are in flight")
                .isZero();
        first.dispatches().forEach(d -> inFlight.committed(d.getValue().key()));
        rt.updateStatus(fineIds.stream()
                .map(id -> StatusUpdate.of(id, JobState.SUCCEEDED, 1, now))
                .toList());
        List<Long> more =
                rt.store(List.of(TestJobs.job("WEBHOOK", "d-fine", "http://127.0.0.1:9/fine", "fu-0", "fine-30", 30)));
        before = fetched();
        Pickup.Batch third = pickup(second.next(), now);
        assertThat(dispatched(third, "d-fine")).isEqualTo(more);
        assertThat(fetched() - before)
                .as("jobs read once the healthy users settled: the one new job")
                .isEqualTo(1);

        // the failing destination's heads come due: each is retried, alone; still nothing behind them is read
        before = fetched();
        Pickup.Batch due = pickup(third.next(), now.plus(Duration.ofHours(2)));
        assertThat(dispatched(due, "d-down")).containsExactlyInAnyOrderElementsOf(downIds.subList(0, 4));
        assertThat(fetched() - before)
                .as("jobs read when the heads came due: the 4 heads")
                .isEqualTo(4);
    }

    @Test
    void recoveredJobsOfAUserGoTogetherAndAnAnsweredRetryStillGoesAlone() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        Instant now = Instant.now();
        String user = "ru-1";
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 60; i++)
            jobs.add(TestJobs.job("WEBHOOK", "d-recovered", "http://127.0.0.1:9/r", user, "rec-" + i, i));
        List<Long> ids = rt.store(jobs);
        // handed to a worker by a router that then stopped (or gave the partition back): executing, never answered
        rt.updateStatus(ids.stream()
                .map(id -> StatusUpdate.executing(id, 1, now.minusSeconds(10)))
                .toList());
        jobsDbs.recovery().failExecuting(Queue.RT, Set.of(UserPartition.of(user)));
        // and a user whose first job got a real answer (500), due now
        List<Long> answered = rt.store(IntStream.range(0, 5)
                .mapToObj(i -> TestJobs.job("WEBHOOK", "d-answered", "http://127.0.0.1:9/a", "au-1", "ans-" + i, i))
                .toList());
        rt.updateStatus(List.of(
                StatusUpdate.executing(answered.getFirst(), 1, now.minusSeconds(10)),
                StatusUpdate.failed(answered.getFirst(), 1, now.minusSeconds(9), now.minusSeconds(1))
                        .withResponse("500", "{}")));

        // recovery's failed rows are due at once (retry time: the database's now when it ran)
        Pickup.Batch batch = pickup(Pickup.ReadPositions.START, Instant.now().plusSeconds(1));
        assertThat(dispatched(batch, "d-recovered"))
                .as("the user's 60 recovered jobs in one pickup, in order (before: one per round trip)")
                .isEqualTo(ids);
        assertThat(dispatched(batch, "d-answered"))
                .as("a retry after a real answer goes alone")
                .containsExactly(answered.getFirst());
    }
}
