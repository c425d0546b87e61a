package dev.eventpipe.router.pickup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.jobsdb.StatusUpdate;
import dev.eventpipe.jobsdb.UserPartition;
import dev.eventpipe.model.json.Json;
import dev.eventpipe.router.ordering.OrderKey;
import dev.eventpipe.router.support.TestJobs;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What a pickup reads when users are unparked, when a job is stuck, and while a destination missing from the config
 * waits out its grace (reviews of 2026-11-30: 0805 P2-3 and P3-2, 0650 P2-1). The pickup is run by hand
 * ({@link PickupByHand}), what it read counted. Each test
 * works on its own partition, so the tests sharing the database never read each other's jobs. No time is asserted.
 */
class PickupReadsIT extends PickupByHand {
    /** Ids of the largest window of a 10-job query (jobsdb: 4 × limit, at least 1,000). */
    static final int WINDOW = 1_000;

    static final int CAP = 2;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws IOException {
        register(r, 10, "d-cu", "d-stuck", "d-grace");
        r.add("workspace-config.poll-interval", () -> "100ms");
        r.add("router.max-windows-per-read", () -> String.valueOf(CAP));
    }

    /** A user id of the given partition. */
    static String userIn(int partition, String prefix) {
        for (int i = 0; ; i++) if (UserPartition.of(prefix + i) == partition) return prefix + i;
    }

    /** One pickup of the partition. */
    Pickup.Batch pickup(int partition, Pickup.ReadPositions positions, Instant now) {
        return pickup(Set.of(partition), positions, now);
    }

    /** Every dispatched job delivered (as a worker and the status committer would). */
    void deliver(Pickup.Batch batch, Instant now) {
        jobsDbs.queue(Queue.RT)
                .updateStatus(batch.dispatches().stream()
                        .map(d -> StatusUpdate.of(d.getValue().jobId(), JobState.SUCCEEDED, 1, now))
                        .toList());
    }

    /** Pickups (each delivering what it hands out) until one did not stop at its window cap; the last one. */
    Pickup.Batch settle(int partition, Pickup.ReadPositions positions, Instant now, List<Long> dispatched) {
        for (int i = 0; i < 200; i++) {
            Pickup.Batch batch = pickup(partition, positions, now);
            batch.dispatches().forEach(d -> dispatched.add(d.getValue().jobId()));
            deliver(batch, now);
            if (!batch.more()) return batch;
            positions = batch.next();
        }
        throw new AssertionError("the reads never got to the end");
    }

    static NewJob job(String destination, String user, int seq) {
        return TestJobs.job("WEBHOOK", destination, "http://127.0.0.1:9/" + destination, user, user + "-" + seq, seq);
    }

    @Test
    void anUnparkedUserCatchesUpByItsOwnCappedReadAndTheFloorStaysWhereItIs() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        int partition = 11;
        String u = userIn(partition, "cu-u-");
        String v = userIn(partition, "cu-v-");
        String w = userIn(partition, "cu-w-");
        Instant now = Instant.now();
        // u and v each have a first job that failed and is in backoff: both parked
        List<Long> heads = rt.store(List.of(job("d-cu", u, 0), job("d-cu", v, 0)));
        List<StatusUpdate> failed = new ArrayList<>();
        for (long head : heads) {
            failed.add(StatusUpdate.executing(head, 1, now.minusSeconds(5)));
            failed.add(StatusUpdate.failed(head, 1, now.minusSeconds(4), now.plus(Duration.ofHours(1)))
                    .withResponse("503", "{}"));
        }
        rt.updateStatus(failed);
        // then 20 windows of v's jobs, with one of u's every 1,000
        List<NewJob> backlog = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            for (int j = 0; j < WINDOW - 1; j++) backlog.add(job("d-cu", v, i * WINDOW + j));
            backlog.add(job("d-cu", u, i));
        }
        List<Long> backlogIds = rt.store(backlog);
        List<Long> uJobs = new ArrayList<>();
        for (int i = 1; i <= 20; i++) uJobs.add(backlogIds.get(i * WINDOW - 1));

        // the reads walk up to the end of the queue, a few windows per pickup; nothing of u's or v's goes
        List<Long> sent = new ArrayList<>();
        Pickup.Batch batch = settle(partition, Pickup.ReadPositions.START, now, sent);
        assertThat(sent).isEmpty();
        List<Long> w0 = rt.store(List.of(job("d-cu", w, 0)));
        batch = settle(partition, batch.next(), now, sent);
        assertThat(sent).as("a healthy user's job").isEqualTo(w0);

        // u's retry succeeded: u can go again; a healthy user's job comes in at the end
        rt.updateStatus(List.of(StatusUpdate.of(heads.get(0), JobState.SUCCEEDED, 2, now)));
        List<Long> w1 = rt.store(List.of(job("d-cu", w, 1)));
        double before = windows();
        Pickup.Batch unpark = pickup(partition, batch.next(), now);
        deliver(unpark, now);
        double walked = windows() - before;
        // before (review P2-3) the destination's floor went back to u's position and the read walked every window
        // above it, window after window with no cap, ahead of every other destination's read
        assertThat(walked)
                .as("windows walked by the pickup that unparked u: u's own read (capped), at most one per other read")
                .isLessThanOrEqualTo(CAP + 5);
        // before, that walk also handed out up to a page of u's jobs ahead of the healthy user's new one
        assertThat(dispatched(unpark, "d-cu"))
                .as("the healthy user's new job goes in the pickup that unparks u, with u's first job")
                .contains(w1.getFirst(), uJobs.getFirst());

        // u's jobs come in order, each once, pickup after pickup; v's never
        List<Long> uSent = new ArrayList<>(dispatched(unpark, "d-cu"));
        Pickup.Batch next = unpark;
        for (int i = 0; i < 100 && !new HashSet<>(uSent).containsAll(uJobs); i++) {
            next = pickup(partition, next.next(), now);
            uSent.addAll(dispatched(next, "d-cu"));
            deliver(next, now);
        }
        uSent.removeAll(w1);
        assertThat(uSent).as("u's jobs, in order, each once").isEqualTo(uJobs);
    }

    @Test
    void aCatchingUpUserOfAPartitionNotOwnedKeepsItsPositionAndAQuietFloorFollowsTheQueuesEnd() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        int partition = 14;
        // a user catching up on d-cu whose partition this pickup does not own (after a refactor that kept positions
        // across a change of the owned partitions, say): the destination's read leaves it out, so its floor passes
        // the user's jobs
        String x = userIn(15, "no-x-");
        OrderKey xKey = new OrderKey(TestJobs.WORKSPACE, "d-cu", x);
        String h = userIn(partition, "no-h-");
        List<Long> h0 = rt.store(List.of(job("d-cu", h, 0)));
        long floor = h0.getFirst() - 1;
        Pickup.ReadPositions positions =
                new Pickup.ReadPositions(Map.of("d-cu", floor), Map.of(), Map.of(xKey, floor - 1), Map.of(), null);

        Pickup.Batch batch = pickup(partition, positions, Instant.now());
        deliver(batch, Instant.now());
        assertThat(dispatched(batch, "d-cu")).isEqualTo(h0);
        Pickup.ReadPositions next = batch.next();
        // before (review 1015 P3-4) the user was dropped: neither parked nor catching up, below a floor above its jobs
        assertThat(next.catchingUp()).as("the user keeps its position").containsEntry(xKey, floor - 1);
        // the floors follow the walk, not a jump to the last job id (review 1015 P3-5): a destination with no jobs
        // here still gets to the queue's end
        assertThat(next.floors().get("d-grace"))
                .as("a quiet destination's floor")
                .isGreaterThanOrEqualTo(h0.getFirst());
        assertThat(next.floors().get("d-cu")).isGreaterThanOrEqualTo(h0.getFirst());
    }

    @Test
    void aStuckJobsUserIsParkedSoItsLaterJobsAreNotReadAgainOnEveryPickup() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        int partition = 12;
        String s = userIn(partition, "st-s-");
        String t = userIn(partition, "st-t-");
        Instant now = Instant.now();
        List<Long> sJobs = rt.store(List.of(job("d-stuck", s, 0), job("d-stuck", s, 1), job("d-stuck", s, 2)));
        // s's first job was handed over and its status refused in every form: executing, stuck here
        rt.updateStatus(List.of(StatusUpdate.executing(sJobs.getFirst(), 1, now)));
        OrderKey sKey = new OrderKey(TestJobs.WORKSPACE, "d-stuck", s);
        inFlight.stuck(sKey, sJobs.getFirst());
        try {
            List<Long> t0 = rt.store(List.of(job("d-stuck", t, 0)));
            // the positions start over, as after any change of the owned partitions
            List<Long> sent = new ArrayList<>();
            Pickup.Batch batch = settle(partition, Pickup.ReadPositions.START, now, sent);
            assertThat(sent).isEqualTo(t0);

            List<Long> t1 = rt.store(List.of(job("d-stuck", t, 1)));
            double before = fetched();
            Pickup.Batch next = pickup(partition, batch.next(), now);
            assertThat(dispatched(next, "d-stuck")).isEqualTo(t1);
            // before (review P3-2) s was not parked: its later jobs were read, kept without a status, and held the
            // destination's floor below them, so every pickup read them (and walked from there) again
            assertThat(fetched() - before).as("jobs read: t's new one only").isEqualTo(1);
        } finally {
            inFlight.forgetPartitions(Set.of(partition));
        }
    }

    @Test
    void aDestinationInItsMissingConfigGraceIsNotReadAgainUntilTheGraceEnds() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        int partition = 13;
        String g = userIn(partition, "gr-g-");
        List<NewJob> gone = new ArrayList<>();
        for (int i = 0; i < 300; i++) gone.add(job("d-gone", g, i));
        List<Long> goneIds = rt.store(gone);
        Instant stored = Instant.now();
        // the config read after the jobs were made does not list their destination
        await().atMost(Duration.ofSeconds(30))
                .until(() -> config.lastSync().map(at -> at.isAfter(stored)).orElse(false));

        Instant now = Instant.now();
        List<Long> sent = new ArrayList<>();
        double before = fetched();
        Pickup.Batch batch = settle(partition, Pickup.ReadPositions.START, now, sent);
        assertThat(fetched() - before)
                .as("the first pickups find the missing destination's jobs")
                .isPositive();
        assertThat(batch.statuses()).isEmpty();

        before = fetched();
        Pickup.Batch during = pickup(partition, batch.next(), now.plusSeconds(60));
        // before (review 0650 P2-1) each pickup in the grace read up to max-queries-per-pickup pages of them again
        assertThat(fetched() - before)
                .as("jobs read by a pickup during the grace")
                .isZero();
        assertThat(during.statuses()).isEmpty();

        // the grace over, they are read again from where they were left out, and drained
        Set<Long> aborted = new HashSet<>();
        Pickup.ReadPositions positions = during.next();
        Instant after = now.plus(Duration.ofMinutes(11));
        for (int i = 0; i < 100 && aborted.size() < goneIds.size(); i++) {
            Pickup.Batch b = pickup(partition, positions, after);
            b.statuses().stream().filter(st -> st.state() == JobState.ABORTED).forEach(st -> aborted.add(st.jobId()));
            positions = b.next();
        }
        assertThat(aborted)
                .as("every job of the missing destination drained")
                .containsExactlyInAnyOrderElementsOf(goneIds);
    }

    /**
     * A destination's read takes its jobs' destination from the read, not from their parameters (issue 16); a job
     * whose parameters name no destination, or name one by a number, an object or null, is read by the read of
     * destinations not in the config and goes as before: its destination is what its parameters' tree says, it is
     * not sent, and it is drained once the grace is over.
     */
    @Test
    void aJobWhoseParametersNameNoDestinationOrAnOddOneIsReadAndDrainedAsBefore() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        int partition = 18;
        String u = userIn(partition, "odd-u-");
        String v = userIn(partition, "odd-v-");
        NewJob plain = job("d-cu", u, 0);
        List<String> odd = List.of(
                "{\"source_id\":\"src-1\"}",
                "{\"destination_id\":null,\"source_id\":\"src-1\"}",
                "{\"destination_id\":42}",
                "{\"destination_id\":{\"id\":\"d-cu\"}}",
                "{\"destination_id\":[\"d-cu\"]}",
                "{\"destination_id\":\"\"}");
        List<NewJob> jobs = new ArrayList<>(List.of(plain));
        for (String parameters : odd)
            jobs.add(NewJob.of(v, plain.workspaceId(), plain.customVal(), parameters, plain.payload()));
        List<Long> ids = rt.store(jobs);
        Instant stored = Instant.now();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> config.lastSync().map(at -> at.isAfter(stored)).orElse(false));
        // the destination each job's parameters name, as the tree reads them (RtJob.of(job) does, RtJobTest)
        Map<Long, String> parsed = new java.util.LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++)
            parsed.put(
                    ids.get(i),
                    Json.mapper()
                            .readTree(jobs.get(i).parameters())
                            .path("destination_id")
                            .asString(""));
        assertThat(parsed.values()).containsExactly("d-cu", "", "", "42", "", "", "");

        Instant now = Instant.now();
        Pickup.Batch first = pickup(partition, Pickup.ReadPositions.START, now);
        assertThat(first.dispatches())
                .as("only the job of the configured destination goes, as that destination's")
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.getValue().jobId()).isEqualTo(ids.getFirst());
                    assertThat(d.getValue().key()).isEqualTo(new OrderKey(plain.workspaceId(), "d-cu", u));
                });
        assertThat(aborted(first)).as("nothing drained within the grace").isEmpty();

        Pickup.Batch drained = pickup(partition, first.next(), now.plus(Duration.ofMinutes(11)));
        assertThat(aborted(drained)).containsExactlyInAnyOrderElementsOf(ids.subList(1, ids.size()));
        assertThat(drained.drainedJobs())
                .as("each drained under the destination its parameters' tree names")
                .allSatisfy(j -> assertThat(j.destinationId()).isEqualTo(parsed.get(j.jobId())));
    }

    /** The ids of the jobs aborted by a pickup. */
    static Set<Long> aborted(Pickup.Batch batch) {
        Set<Long> ids = new HashSet<>();
        batch.statuses().stream().filter(st -> st.state() == JobState.ABORTED).forEach(st -> ids.add(st.jobId()));
        return ids;
    }

    /** Stores 30 jobs of {@code destination} and waits for a config read after them (so they may be drained). */
    List<Long> storeForADestinationNotInTheConfig(String destination, String user) {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 30; i++) jobs.add(job(destination, user, i));
        List<Long> ids = jobsDbs.queue(Queue.RT).store(jobs);
        Instant stored = Instant.now();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> config.lastSync().map(at -> at.isAfter(stored)).orElse(false));
        return ids;
    }

    @Test
    void theReadOfDestinationsNotInTheConfigRunsOncePerIntervalAndStillDrainsTheirJobs() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        int partition = 16;
        String o = userIn(partition, "ot-o-");
        // d-old was listed until now: its floor is below its jobs, the read of the others passed them (they were
        // d-old's then) and ran just now
        List<Long> oldIds = storeForADestinationNotInTheConfig("d-old", o);
        long last = rt.lastJobId();
        Instant t0 = Instant.now();
        Map<String, Long> floors = Map.of(
                "d-old", oldIds.getFirst() - 1, Pickup.OTHERS, last, "d-cu", last, "d-stuck", last, "d-grace", last);
        Pickup.ReadPositions listedUntilNow = new Pickup.ReadPositions(floors, Map.of(), Map.of(), Map.of(), t0);

        // the config no longer lists it: the read of the others runs although its interval is not over, from d-old's
        // floor, and finds its jobs (their grace starts)
        double before = fetched();
        Pickup.Batch goneNow = pickup(partition, listedUntilNow, t0.plusSeconds(1));
        assertThat(fetched() - before).as("d-old's jobs, read at once").isEqualTo(oldIds.size());
        assertThat(goneNow.statuses()).isEmpty();
        Pickup.ReadPositions positions = goneNow.next();
        assertThat(positions.graceFloors()).containsEntry("d-old", oldIds.getFirst() - 1);

        // within the interval the read does not run; its floor is carried as it was
        before = fetched();
        Pickup.Batch quiet = pickup(partition, positions, t0.plusSeconds(2));
        assertThat(fetched() - before).as("jobs read within the interval").isZero();
        assertThat(quiet.next().floors())
                .containsEntry(Pickup.OTHERS, positions.floors().get(Pickup.OTHERS));
        assertThat(quiet.next().graceFloors()).isEqualTo(positions.graceFloors());

        // the grace over, the read runs at once and drains them all
        Instant graceOver = t0.plusSeconds(1).plus(Duration.ofMinutes(10)).plusSeconds(1);
        Pickup.Batch drained = pickup(partition, quiet.next(), graceOver);
        assertThat(aborted(drained)).containsExactlyInAnyOrderElementsOf(oldIds);

        // a destination the router never listed: its new jobs are not read within the interval, read once it is over
        // (their grace starts then), and drained after the grace
        List<Long> neverIds = storeForADestinationNotInTheConfig("d-never", o);
        before = fetched();
        Pickup.Batch within = pickup(partition, drained.next(), graceOver.plusSeconds(1));
        assertThat(fetched() - before).as("jobs read within the interval").isZero();
        assertThat(within.statuses()).isEmpty();
        Instant due = graceOver.plusSeconds(5);
        before = fetched();
        Pickup.Batch read = pickup(partition, within.next(), due);
        assertThat(fetched() - before)
                .as("d-never's jobs, once the interval is over")
                .isEqualTo(neverIds.size());
        assertThat(read.statuses()).isEmpty();
        Pickup.Batch drainedToo = pickup(partition, read.next(), due.plus(Duration.ofMinutes(10)));
        assertThat(aborted(drainedToo)).containsExactlyInAnyOrderElementsOf(neverIds);
    }
}
