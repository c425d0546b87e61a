package dev.eventpipe.jobsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class JobsDbIT {
    static HikariDataSource dataSource;
    static JobsDbs jobsDbs;
    static JdbcClient sql;

    @BeforeAll
    static void open() {
        dataSource = TestDatabase.create();
        jobsDbs = JobsDbs.open(dataSource, JobsDbSettings.defaults());
        sql = JdbcClient.create(dataSource);
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    /** Each test uses its own custom value, so tests sharing the queue never see each other's jobs. */
    private static List<NewJob> jobs(String customVal, int count, String user) {
        return IntStream.range(0, count)
                .mapToObj(i -> NewJob.of(
                        user, "ws-1", customVal, "{\"destination_id\":\"d-" + (i % 2) + "\"}", "{\"n\":" + i + "}"))
                .toList();
    }

    private static JobQuery query(String customVal) {
        return JobQuery.first(1000).customVal(customVal);
    }

    @Test
    void storedJobsComeBackInJobIdOrderWithTheirPayloadByteForByte() {
        JobsDb gw = jobsDbs.queue(Queue.GW);
        List<Long> ids = gw.store(jobs("order", 50, "u1"));
        assertThat(ids).isSorted().hasSize(50);

        List<Job> fetched = gw.fetchUnprocessed(query("order"));
        assertThat(fetched).extracting(Job::jobId).containsExactlyElementsOf(ids);
        assertThat(fetched.get(7).payload()).isEqualTo("{\"n\":7}");
        assertThat(fetched.get(7).lastStatus()).isNull();
        assertThat(fetched.get(7).partition()).isEqualTo(UserPartition.of("u1"));
    }

    @Test
    void theFirstAttemptAndTheBlockingJobAreStatusFieldsInEveryRead() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        List<Long> ids = rt.store(jobs("typed", 2, "u-typed"));
        Instant first = Instant.parse("2026-11-30T01:00:00.123456Z");
        Instant now = Instant.now();
        rt.updateStatus(List.of(
                StatusUpdate.failed(ids.get(0), 2, now, now.minusSeconds(1))
                        .withResponse("503", "{\"response\":\"busy\"}")
                        .withFirstAttemptedAt(first),
                StatusUpdate.waiting(ids.get(1), 0, now, ids.get(0))));

        List<Job> retryable = rt.fetchToProcess(query("typed"), now);
        assertThat(retryable).extracting(Job::jobId).containsExactlyElementsOf(ids);
        JobStatus failed = retryable.get(0).lastStatus();
        assertThat(failed.firstAttemptedAt()).isEqualTo(first);
        assertThat(failed.blockingJobId()).isNull();
        assertThat(failed.errorResponse()).isEqualTo("{\"response\": \"busy\"}"); // the document is not touched
        JobStatus waiting = retryable.get(1).lastStatus();
        assertThat(waiting.state()).isEqualTo(JobState.WAITING);
        assertThat(waiting.blockingJobId()).isEqualTo(ids.get(0));
        assertThat(waiting.firstAttemptedAt()).isNull();
        assertThat(rt.fetchRecent(query("typed")))
                .extracting(j -> j.lastStatus().blockingJobId())
                .containsExactly(ids.get(0), null);
        assertThat(jobsDbs.reads().history(Queue.RT, ids.get(0)).orElseThrow().statuses())
                .singleElement()
                .extracting(JobStatus::firstAttemptedAt)
                .isEqualTo(first);
    }

    @Test
    void fetchesAreBoundedByCountAndPayloadBytesButNeverStall() {
        JobsDb gw = jobsDbs.queue(Queue.GW);
        gw.store(jobs("limits", 20, "u1")); // every payload is 7 or 8 bytes
        assertThat(gw.fetchUnprocessed(JobQuery.first(5).customVal("limits"))).hasSize(5);
        assertThat(gw.fetchUnprocessed(query("limits").withPayloadLimit(30))).hasSize(4);
        assertThat(gw.fetchUnprocessed(query("limits").withPayloadLimit(1))).hasSize(1);
    }

    @Test
    void aDeliverableReadSaysWhenItsPayloadLimitCutItShort() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        List<Long> ids = rt.store(jobs("cut", 5, "u1")); // every payload is 7 bytes
        Instant now = Instant.now();
        JobPage cut = rt.fetchDeliverable(query("cut").withPayloadLimit(15), now);
        assertThat(cut.jobs()).hasSize(2);
        assertThat(cut.cutByBytes()).as("three more jobs matched").isTrue();
        assertThat(cut.walkedTo())
                .as("the walk counts as done up to the last job returned, not past the first one left out")
                .isEqualTo(ids.get(1));
        JobPage rest = rt.fetchDeliverable(
                query("cut").after(cut.jobs().getLast().jobId()).withPayloadLimit(1000), now);
        assertThat(rest.jobs()).hasSize(3);
        assertThat(rest.cutByBytes()).as("all that matched").isFalse();
        JobPage counted = rt.fetchDeliverable(JobQuery.first(2).customVal("cut"), now);
        assertThat(counted.jobs()).hasSize(2);
        assertThat(counted.cutByBytes()).as("cut by the count, not the bytes").isFalse();
        JobPage none = rt.fetchDeliverable(query("nothing-here"), now);
        assertThat(none.jobs()).isEmpty();
        assertThat(none.cutByBytes()).isFalse();
        assertThat(none.capped()).isFalse();
    }

    @Test
    void filtersSelectByCustomValueDestinationWorkspaceAndPartition() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        rt.store(jobs("filters", 10, "alice"));
        rt.store(List.of(NewJob.of("bob", "ws-2", "filters", "{}", "{}")));

        assertThat(rt.fetchUnprocessed(query("filters"))).hasSize(11);
        assertThat(rt.fetchUnprocessed(query("filters").destination("d-1"))).hasSize(5);
        assertThat(rt.fetchUnprocessed(query("filters").workspace("ws-2")))
                .singleElement()
                .extracting(Job::userId)
                .isEqualTo("bob");
        assertThat(rt.fetchUnprocessed(query("filters").partitions(Set.of(UserPartition.of("bob")))))
                .extracting(Job::userId)
                .contains("bob")
                .allMatch(u -> UserPartition.of(u) == UserPartition.of("bob"));
        assertThat(rt.fetchUnprocessed(query("other-value"))).isEmpty();
    }

    @Test
    void eachStateDecidesWhetherAJobIsPickedAgain() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        List<Long> ids = rt.store(jobs("states", 7, "u1"));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        rt.updateStatus(List.of(
                StatusUpdate.of(ids.get(0), JobState.EXECUTING, 1, now),
                StatusUpdate.of(ids.get(1), JobState.FAILED, 1, now)
                        .withRetryTime(now.plusSeconds(10))
                        .withResponse("500", "{}"),
                StatusUpdate.of(ids.get(2), JobState.FAILED, 1, now)
                        .withRetryTime(now.minusSeconds(1))
                        .withResponse("503", "{}"),
                StatusUpdate.of(ids.get(3), JobState.WAITING, 0, now),
                StatusUpdate.of(ids.get(4), JobState.SUCCEEDED, 1, now),
                StatusUpdate.of(ids.get(5), JobState.ABORTED, 3, now)));
        // ids[6] stays unprocessed

        assertThat(rt.fetchUnprocessed(query("states"))).extracting(Job::jobId).containsExactly(ids.get(6));
        List<Job> toProcess = rt.fetchToProcess(query("states"), now);
        assertThat(toProcess).extracting(Job::jobId).containsExactly(ids.get(2), ids.get(3), ids.get(6));
        assertThat(toProcess.getFirst().lastStatus().state()).isEqualTo(JobState.FAILED);
        assertThat(toProcess.getFirst().attempts()).isEqualTo(1);
        assertThat(toProcess.getFirst().lastStatus().errorCode()).isEqualTo("503");

        // the latest row wins: the failed job in backoff succeeds, the due one is executing again
        rt.updateStatus(List.of(
                StatusUpdate.of(ids.get(1), JobState.SUCCEEDED, 2, now),
                StatusUpdate.of(ids.get(2), JobState.EXECUTING, 2, now),
                StatusUpdate.of(ids.get(6), JobState.FILTERED, 1, now)));
        assertThat(rt.fetchToProcess(query("states"), now.plusSeconds(60)))
                .extracting(Job::jobId)
                .containsExactly(ids.get(3));
    }

    @Test
    void heldUsersAreLeftOutInSqlAndTheReadWalksPastThemWindowByWindow() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        // a held user's 2,500 unprocessed jobs (several read windows of a 10-job query), then a free user's 3
        List<Long> held = rt.store(jobs("held-read", 2_500, "held-a"));
        List<Long> free = rt.store(jobs("held-read", 3, "free-b"));
        JobQuery query = JobQuery.first(10).customVal("held-read");
        Set<JobQuery.User> heldA = Set.of(new JobQuery.User("ws-1", "held-a"));
        assertThat(rt.fetchUnprocessed(query.holding(heldA)))
                .extracting(Job::jobId)
                .as("the free user's jobs, found past every window of the held user's")
                .containsExactlyElementsOf(free);
        assertThat(rt.fetchUnprocessed(query.holding(heldA)))
                .extracting(Job::payload)
                .as("payloads read for the returned jobs")
                .containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
        assertThat(rt.fetchUnprocessed(query)).extracting(Job::jobId).containsExactlyElementsOf(held.subList(0, 10));

        // of a held user's failed and waiting jobs only the first of each destination is returned
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        rt.updateStatus(List.of(
                StatusUpdate.failed(held.get(0), 1, now, now).withResponse("503", "{}"),
                StatusUpdate.waiting(held.get(2), 0, now, held.get(0)),
                StatusUpdate.failed(held.get(1), 1, now, now).withResponse("503", "{}"),
                StatusUpdate.waiting(held.get(3), 0, now, held.get(1))));
        assertThat(rt.fetchDeliverable(query.holding(heldA), now.plusSeconds(1)).jobs())
                .extracting(Job::jobId)
                .containsExactly(held.get(0), held.get(1), free.get(0), free.get(1), free.get(2));
        assertThat(rt.fetchDeliverable(query, now.plusSeconds(1)).jobs())
                .extracting(Job::jobId)
                .as("not held: every due job and the unprocessed ones, in job id order")
                .startsWith(held.get(0), held.get(1), held.get(2), held.get(3), held.get(4));
    }

    @Test
    void aCappedReadWalksAtMostItsWindowsAndSaysHowFarItGot() {
        var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        JobsDb rt = JobsDbs.open(dataSource, JobsDbSettings.defaults(), meters, java.time.InstantSource.system())
                .queue(Queue.RT);
        // 5,000 finished jobs (five of the largest windows of a 10-job query, 1,000 ids), then 3 unprocessed ones
        List<Long> done = rt.store(jobs("capped", 5_000, "cap-u"));
        Instant now = Instant.now();
        rt.updateStatus(done.stream()
                .map(id -> StatusUpdate.of(id, JobState.SUCCEEDED, 1, now))
                .toList());
        List<Long> fresh = rt.store(jobs("capped", 3, "cap-u"));
        JobQuery query = JobQuery.first(10).customVal("capped").walkingAtMost(2);
        long from = done.getFirst() - 1;
        List<Long> found = new java.util.ArrayList<>();
        List<Double> windowsPerRead = new java.util.ArrayList<>();
        JobPage page;
        int reads = 0;
        do {
            double before = meters.counter("jobsdb.read.windows", "queue", "rt").count();
            page = rt.fetchUnprocessedPage(query.unprocessedAbove(from));
            windowsPerRead.add(
                    meters.counter("jobsdb.read.windows", "queue", "rt").count() - before);
            page.jobs().forEach(j -> found.add(j.jobId()));
            assertThat(page.walkedTo()).as("a read moves on").isGreaterThan(from);
            from = page.walkedTo();
        } while (page.capped() && ++reads < 10);
        assertThat(found)
                .as("the unprocessed jobs, found past the finished ones")
                .isEqualTo(fresh);
        assertThat(windowsPerRead).as("windows each read walked").allMatch(n -> n <= 2);
        assertThat(windowsPerRead.subList(0, 2))
                .as("the first reads walk their two windows each (a small one, then the largest) and stop")
                .containsOnly(2.0);
        assertThat(page.capped()).as("the last read reached the end").isFalse();
        assertThat(page.walkedTo())
                .as("and says so: it walked to the last stored job")
                .isGreaterThanOrEqualTo(fresh.getLast());
        // a read that found nothing at the end says where the end was, so the next one starts there
        JobPage atEnd =
                rt.fetchUnprocessedPage(JobQuery.first(10).customVal("capped").unprocessedAbove(fresh.getLast()));
        assertThat(atEnd.jobs()).isEmpty();
        assertThat(atEnd.walkedTo()).isGreaterThanOrEqualTo(fresh.getLast());
        // a count limit leaves the walk at the last job returned
        JobPage counted =
                rt.fetchUnprocessedPage(JobQuery.first(2).customVal("capped").unprocessedAbove(done.getLast()));
        assertThat(counted.jobs()).extracting(Job::jobId).containsExactly(fresh.get(0), fresh.get(1));
        assertThat(counted.walkedTo()).isEqualTo(fresh.get(1));
    }

    @Test
    void aReadOfSomeUsersReturnsOnlyTheirJobsRetryableOnesIncluded() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        List<Long> a = rt.store(jobs("only-users", 4, "only-a"));
        List<Long> b = rt.store(jobs("only-users", 4, "only-b"));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        rt.updateStatus(List.of(
                StatusUpdate.failed(a.get(0), 1, now, now).withResponse("503", "{}"),
                StatusUpdate.failed(b.get(0), 1, now, now).withResponse("503", "{}")));
        JobQuery onlyA = query("only-users")
                .ofUsers(Set.of(new JobQuery.User("ws-1", "only-a")))
                .walkingAtMost(3);
        assertThat(rt.fetchDeliverable(onlyA, now.plusSeconds(1)).jobs())
                .extracting(Job::jobId)
                .containsExactlyElementsOf(a);
        assertThat(rt.fetchUnprocessed(onlyA)).extracting(Job::jobId).containsExactlyElementsOf(a.subList(1, 4));
    }

    @Test
    void theFirstUnresolvedJobOfEachUserAndDestinationIsFoundWithWhetherItIsInBackoff() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        String user = "first-unresolved";
        // destinations alternate: ids[0] and ids[2] go to d-0, ids[1], ids[3] and ids[5] to d-1
        List<Long> ids = rt.store(jobs("first-unresolved", 6, user));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        rt.updateStatus(List.of(
                StatusUpdate.of(ids.get(0), JobState.SUCCEEDED, 1, now),
                StatusUpdate.of(ids.get(2), JobState.FAILED, 1, now)
                        .withRetryTime(now.plusSeconds(10))
                        .withResponse("500", "{}"),
                StatusUpdate.of(ids.get(1), JobState.FAILED, 1, now),
                StatusUpdate.of(ids.get(3), JobState.WAITING, 0, now),
                StatusUpdate.of(ids.get(5), JobState.WAITING, 0, now)));
        // the latest row wins: ids[1] has since succeeded, so ids[3] is d-1's first unresolved job
        rt.updateStatus(List.of(StatusUpdate.of(ids.get(1), JobState.SUCCEEDED, 2, now)));

        Set<Integer> partition = Set.of(UserPartition.of(user));
        assertThat(rt.firstUnresolved(partition, now))
                .filteredOn(f -> f.userId().equals(user))
                .containsExactlyInAnyOrder(
                        new JobsDb.FirstUnresolved("ws-1", "d-0", user, ids.get(2), true, true, false),
                        new JobsDb.FirstUnresolved("ws-1", "d-1", user, ids.get(3), false, false, false));
        assertThat(rt.firstUnresolved(partition, now.plusSeconds(60)))
                .filteredOn(f -> f.userId().equals(user))
                .extracting(JobsDb.FirstUnresolved::inBackoff)
                .containsOnly(false);
        int otherPartition = (UserPartition.of(user) + 1) % UserPartition.COUNT;
        assertThat(rt.firstUnresolved(Set.of(otherPartition), now))
                .noneMatch(f -> f.userId().equals(user));
        assertThat(rt.firstUnresolved(Set.of(), now)).isEmpty();
    }

    @Test
    void theUnprocessedFloorSkipsFinishedJobsButNeverRetryableOnes() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        List<Long> ids = rt.store(jobs("floor", 4, "u1"));
        Instant now = Instant.now();
        rt.updateStatus(List.of(
                StatusUpdate.of(ids.get(0), JobState.FAILED, 1, now).withResponse("500", "{}"),
                StatusUpdate.of(ids.get(1), JobState.WAITING, 0, now),
                StatusUpdate.of(ids.get(2), JobState.SUCCEEDED, 1, now)));
        List<Job> page = rt.fetchToProcess(query("floor").unprocessedAbove(ids.get(2)), now);
        assertThat(page).extracting(Job::jobId).containsExactly(ids.get(0), ids.get(1), ids.get(3));
        assertThat(rt.fetchUnprocessed(query("floor").unprocessedAbove(ids.get(3))))
                .isEmpty();
    }

    @Test
    void thePageCursorAppliesToEveryJob() {
        JobsDb rt = jobsDbs.queue(Queue.RT);
        List<Long> ids = rt.store(jobs("pages", 6, "u1"));
        Instant now = Instant.now();
        rt.updateStatus(ids.subList(0, 4).stream()
                .map(id -> StatusUpdate.of(id, JobState.FAILED, 1, now).withResponse("500", "{}"))
                .toList());
        List<Long> seen = new java.util.ArrayList<>();
        long after = 0;
        for (List<Job> page;
                !(page = rt.fetchToProcess(JobQuery.first(2).customVal("pages").after(after), now)).isEmpty(); ) {
            page.forEach(j -> seen.add(j.jobId()));
            after = page.getLast().jobId();
        }
        assertThat(seen).containsExactlyElementsOf(ids);
    }

    @Test
    void recentJobsComeNewestFirstWithTheirLatestStateAndBySource() {
        JobsDb gw = jobsDbs.queue(Queue.GW);
        List<Long> ids = gw.store(List.of(
                NewJob.of("u", "ws-r", "recent", "{\"source_id\":\"s1\"}", "{}"),
                NewJob.of("u", "ws-r", "recent", "{\"source_id\":\"s2\"}", "{}"),
                NewJob.of("u", "ws-r", "recent", "{\"source_id\":\"s1\"}", "{}")));
        gw.updateStatus(List.of(StatusUpdate.of(ids.get(0), JobState.SUCCEEDED, 1, Instant.now())));
        List<Job> recent = gw.fetchRecent(JobQuery.first(10).workspace("ws-r").source("s1"));
        assertThat(recent).extracting(Job::jobId).containsExactly(ids.get(2), ids.get(0));
        assertThat(recent.get(0).lastStatus()).isNull();
        assertThat(recent.get(1).lastStatus().state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void payloadsWithNulCharactersAreStoredUnchanged() {
        JobsDb gw = jobsDbs.queue(Queue.GW);
        String payload = "{\"batch\":[{\"event\":\"a\\u0000b\",\"raw\":\"tab\\tline\\nslash\\\\\"}]}";
        long id = gw.store(List.of(NewJob.of("u", "ws", "nul", "{}", payload))).getFirst();
        assertThat(gw.fetchUnprocessed(query("nul")).getFirst().payload()).isEqualTo(payload);

        Instant now = Instant.now();
        gw.updateStatus(List.of(StatusUpdate.of(id, JobState.FAILED, 1, now)
                .withResponse("500", "{\"response\":\"bad \\u0000 body\"}")));
        assertThat(gw.fetchToProcess(query("nul"), now).getFirst().lastStatus().errorResponse())
                .contains("bad")
                .doesNotContain("\\u0000");
    }

    @Test
    void theCallersTransactionCoversStoreAndStatusTogether() {
        JobsDb gw = jobsDbs.queue(Queue.GW);
        JobsDb rt = jobsDbs.queue(Queue.RT);
        long gwJob = gw.store(jobs("tx", 1, "u")).getFirst();
        var tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        try {
            tx.executeWithoutResult(status -> {
                rt.store(jobs("tx", 3, "u"));
                gw.updateStatus(List.of(StatusUpdate.of(gwJob, JobState.SUCCEEDED, 1, Instant.now())));
                throw new IllegalStateException("crash before commit");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        assertThat(rt.fetchUnprocessed(query("tx"))).isEmpty();
        assertThat(gw.fetchUnprocessed(query("tx"))).hasSize(1);

        tx.executeWithoutResult(status -> {
            rt.store(jobs("tx", 3, "u"));
            gw.updateStatus(List.of(StatusUpdate.of(gwJob, JobState.SUCCEEDED, 1, Instant.now())));
        });
        assertThat(rt.fetchUnprocessed(query("tx"))).hasSize(3);
        assertThat(gw.fetchUnprocessed(query("tx"))).isEmpty();
    }
}
