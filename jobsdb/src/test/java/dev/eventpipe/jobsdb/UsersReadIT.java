package dev.eventpipe.jobsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The reads of some users' jobs ({@link JobQuery#ofUsers}, the router's catch-up reads), which take each window per
 * user through the {@code rt_jobs (workspace_id, user_id, job_id)} index (V16): they return exactly the jobs the
 * window's definition says (the next window's worth of these users' jobs above the position, in job id order), none
 * lost and none twice, over users spread across datasets; and they read only those users' rows.
 */
class UsersReadIT {
    /** One stored job, as the test knows it. */
    private record Stored(long id, JobQuery.User user, String destination, int partition) {}

    private static final JobQuery.User DENSE = new JobQuery.User("ws-a", "dense");
    private static final JobQuery.User A1 = new JobQuery.User("ws-a", "u1");
    private static final JobQuery.User B1 = new JobQuery.User("ws-b", "u1"); // A1's user id in another workspace
    private static final JobQuery.User SOLO = new JobQuery.User("ws-c", "solo");
    private static final JobQuery.User NOBODY = new JobQuery.User("ws-z", "nobody"); // has no job

    static HikariDataSource dataSource;
    static JobsDb rt;
    static final List<Stored> stored = new ArrayList<>();
    static final Set<Long> withStatus = new HashSet<>();
    static final List<JobQuery.User> users = new ArrayList<>();

    @BeforeAll
    static void fill() {
        dataSource = TestDatabase.create();
        // datasets of 500 ids: the jobs below spread over eight of them
        JobsDbs dbs = JobsDbs.open(
                dataSource, new JobsDbSettings(500, Long.MAX_VALUE, Duration.ofDays(1), Duration.ofSeconds(5), false));
        rt = dbs.queue(Queue.RT);
        users.addAll(List.of(DENSE, A1, B1, SOLO));
        for (int i = 2; i < 22; i++) users.add(new JobQuery.User(i % 2 == 0 ? "ws-a" : "ws-b", "u" + i));
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        // a user with 1,300 jobs in a row, the first 1,100 delivered: more of its jobs with a status than a window
        // holds at its largest (4 × limit, at least 1,000), so a window of these users may hold none of them
        // unprocessed
        List<Stored> dense = new ArrayList<>();
        for (int i = 0; i < 13; i++) dense.addAll(store(java.util.Collections.nCopies(100, DENSE)));
        List<StatusUpdate> delivered = new ArrayList<>();
        for (Stored s : dense.subList(0, 1_100)) delivered.add(StatusUpdate.succeeded(s.id(), 1, now));
        // then every user, in batches of varying size, 2,700 jobs; about a third of them delivered or failed
        Random random = new Random(16);
        int left = 2_700;
        while (left > 0) {
            int n = Math.min(left, 1 + random.nextInt(120));
            List<JobQuery.User> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // skewed: SOLO is rare, DENSE and A1 frequent
                int pick = random.nextInt(30);
                batch.add(
                        pick < 6
                                ? DENSE
                                : pick < 12 ? A1 : pick == 12 ? SOLO : users.get(2 + pick % (users.size() - 2)));
            }
            for (Stored s : store(batch)) {
                int r = random.nextInt(3);
                if (r == 0) delivered.add(StatusUpdate.succeeded(s.id(), 1, now));
                else if (r == 1 && random.nextBoolean())
                    delivered.add(StatusUpdate.failed(s.id(), 1, now, now.plusSeconds(60)));
            }
            left -= n;
        }
        rt.updateStatus(delivered);
        delivered.forEach(u -> withStatus.add(u.jobId()));
        JdbcClient.create(dataSource).sql("ANALYZE rt_jobs").update(); // as autovacuum would have by now
    }

    private static List<Stored> store(List<JobQuery.User> of) {
        List<NewJob> jobs = new ArrayList<>();
        List<String> destinations = new ArrayList<>();
        for (int i = 0; i < of.size(); i++) {
            String destination = "d-" + ((stored.size() + i) % 3 == 0 ? 1 : 0);
            destinations.add(destination);
            JobQuery.User user = of.get(i);
            jobs.add(NewJob.of(
                    user.userId(),
                    user.workspaceId(),
                    "WEBHOOK",
                    "{\"destination_id\":\"" + destination + "\"}",
                    "{\"n\":" + (stored.size() + i) + "}"));
        }
        List<Long> ids = rt.store(jobs);
        List<Stored> added = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            JobQuery.User user = of.get(i);
            added.add(new Stored(ids.get(i), user, destinations.get(i), UserPartition.of(user.userId())));
        }
        stored.addAll(added);
        return added;
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    /** The jobs the read must find: of these users, matching the filters, above the position, without a status. */
    private static List<Long> expected(
            Set<JobQuery.User> of, @Nullable String destination, Set<Integer> partitions, long above) {
        return stored.stream()
                .filter(s -> of.contains(s.user()))
                .filter(s -> destination == null || s.destination().equals(destination))
                .filter(s -> partitions.isEmpty() || partitions.contains(s.partition()))
                .filter(s -> s.id() > above && !withStatus.contains(s.id()))
                .map(Stored::id)
                .toList();
    }

    private static List<Long> ids(JobPage page) {
        return page.jobs().stream().map(Job::jobId).toList();
    }

    private static List<Set<JobQuery.User>> userSets() {
        return List.of(
                Set.of(DENSE),
                Set.of(B1), // not A1's jobs, though they share the user id
                Set.of(DENSE, A1, B1, SOLO),
                Set.of(SOLO, NOBODY),
                Set.copyOf(users));
    }

    @Test
    void aReadOfSomeUsersReturnsExactlyTheNextOfTheirJobsAcrossDatasetsNoneLostNoneTwice() {
        long mid = stored.get(stored.size() / 2).id();
        int reads = 0;
        for (Set<JobQuery.User> of : userSets())
            for (String destination : java.util.Arrays.asList(null, "d-1"))
                for (long floor : List.of(0L, mid))
                    for (int limit : List.of(1, 10, 333, 5_000)) {
                        JobQuery query =
                                JobQuery.first(limit).customVal("WEBHOOK").ofUsers(of);
                        if (destination != null) query = query.destination(destination);
                        List<Long> all = expected(of, destination, Set.of(), floor);
                        JobPage page = rt.fetchUnprocessedPage(query.unprocessedAbove(floor));
                        String what = of + " " + destination + " above " + floor + " limit " + limit;
                        assertThat(ids(page))
                                .as("uncapped: the first %d of their jobs, %s", limit, what)
                                .containsExactlyElementsOf(all.subList(0, Math.min(limit, all.size())));
                        reads++;
                    }
        assertThat(reads).isEqualTo(80);
    }

    @Test
    void cappedReadsOfSomeUsersPageThroughAllTheirJobsOnceEachPageExactlyUpToWhereItWalked() {
        long last = stored.getLast().id();
        Set<Integer> someParts = new HashSet<>();
        for (JobQuery.User u : List.of(DENSE, B1, SOLO)) someParts.add(UserPartition.of(u.userId()));
        for (Set<JobQuery.User> of : userSets())
            for (Set<Integer> partitions : List.of(Set.<Integer>of(), someParts))
                for (int limit : List.of(10, 250))
                    for (int cap : List.of(1, 2)) {
                        JobQuery query = JobQuery.first(limit)
                                .customVal("WEBHOOK")
                                .partitions(partitions)
                                .ofUsers(of)
                                .walkingAtMost(cap);
                        String what = of + " partitions " + partitions + " limit " + limit + " cap " + cap;
                        List<Long> all = expected(of, null, partitions, 0);
                        List<Long> read = new ArrayList<>();
                        long position = 0;
                        for (int pages = 0; ; pages++) {
                            assertThat(pages).as("pages of %s", what).isLessThan(200);
                            JobPage page = rt.fetchUnprocessedPage(query.unprocessedAbove(position));
                            long from = position;
                            long to = page.walkedTo();
                            assertThat(to).as("walked on, %s", what).isGreaterThanOrEqualTo(from);
                            // every job of theirs above the position and up to where it walked, and no other
                            assertThat(ids(page))
                                    .as("page above %d up to %d, %s", from, to, what)
                                    .containsExactlyElementsOf(all.stream()
                                            .filter(id -> id > from && id <= to)
                                            .toList());
                            read.addAll(ids(page));
                            position = to;
                            if (!page.capped() && page.jobs().size() < limit) break;
                        }
                        assertThat(position).as("to the end, %s", what).isGreaterThanOrEqualTo(last);
                        assertThat(read).as("every job once, %s", what).containsExactlyElementsOf(all);
                    }
    }

    /** For each user, a position below its first job without a status (0 to just below it): what a caller may pass. */
    private static java.util.Map<JobQuery.User, Long> safePositions(Set<JobQuery.User> of, Random random) {
        java.util.Map<JobQuery.User, Long> positions = new java.util.HashMap<>();
        for (JobQuery.User user : of) {
            long firstOpen = stored.stream()
                    .filter(s -> s.user().equals(user) && !withStatus.contains(s.id()))
                    .mapToLong(Stored::id)
                    .min()
                    .orElse(stored.getLast().id() + 1);
            positions.put(user, (long) (random.nextDouble() * firstOpen));
        }
        return positions;
    }

    @Test
    void aReadOfUsersEachAboveItsOwnPositionReturnsTheSameJobsPageByPage() {
        // issue 16: the router's catch-up read of users parked at different places now passes each user's position;
        // below it every job of the user has a status, so the read must return exactly what it returned without
        Random random = new Random(1616);
        long last = stored.getLast().id();
        for (Set<JobQuery.User> of : userSets())
            for (int limit : List.of(10, 250))
                for (int cap : List.of(0, 1, 2)) {
                    java.util.Map<JobQuery.User, Long> positions = safePositions(of, random);
                    JobQuery query = JobQuery.first(limit).customVal("WEBHOOK").ofUsers(positions);
                    if (cap > 0) query = query.walkingAtMost(cap);
                    String what = positions + " limit " + limit + " cap " + cap;
                    List<Long> all = expected(of, null, Set.of(), 0);
                    List<Long> read = new ArrayList<>();
                    long position = 0;
                    for (int pages = 0; ; pages++) {
                        assertThat(pages).as("pages of %s", what).isLessThan(400);
                        JobPage page = rt.fetchUnprocessedPage(query.unprocessedAbove(position));
                        long from = position;
                        long to = page.walkedTo();
                        assertThat(to).as("walked on, %s", what).isGreaterThanOrEqualTo(from);
                        assertThat(ids(page))
                                .as("page above %d up to %d, %s", from, to, what)
                                .containsExactlyElementsOf(all.stream()
                                        .filter(id -> id > from && id <= to)
                                        .limit(limit)
                                        .toList());
                        read.addAll(ids(page));
                        position = to;
                        if (!page.capped() && page.jobs().size() < limit) break;
                    }
                    assertThat(position).as("to the end, %s", what).isGreaterThanOrEqualTo(last);
                    assertThat(read).as("every job once, %s", what).containsExactlyElementsOf(all);
                }
    }

    @Test
    void aUsersRowsBelowItsOwnPositionAreNotTakenIntoTheWindows() {
        // DENSE's first 1,100 jobs are delivered: from 0 every window of its read takes them first; above its own
        // position (its 1,100th job) none of them
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        JobsDb counted = JobsDbs.open(
                        dataSource,
                        new JobsDbSettings(500, Long.MAX_VALUE, Duration.ofDays(1), Duration.ofSeconds(5), false),
                        meters,
                        java.time.InstantSource.system())
                .queue(Queue.RT);
        List<Stored> dense = stored.stream().filter(s -> s.user().equals(DENSE)).toList();
        long position = dense.get(1_099).id();
        long above = dense.stream().filter(s -> s.id() > position).count();
        JobQuery query = JobQuery.first(10).customVal("WEBHOOK");
        double before = meters.counter("jobsdb.read.window.rows", "queue", "rt").count();
        List<Long> fromZero = ids(counted.fetchUnprocessedPage(query.ofUsers(Set.of(DENSE))));
        double fromZeroRows =
                meters.counter("jobsdb.read.window.rows", "queue", "rt").count() - before;
        before = meters.counter("jobsdb.read.window.rows", "queue", "rt").count();
        List<Long> fromPosition = ids(counted.fetchUnprocessedPage(query.ofUsers(java.util.Map.of(DENSE, position))));
        double fromPositionRows =
                meters.counter("jobsdb.read.window.rows", "queue", "rt").count() - before;
        assertThat(fromPosition).isEqualTo(fromZero).hasSize(10);
        assertThat(fromZeroRows).as("rows taken from 0").isGreaterThanOrEqualTo(1_100);
        assertThat(fromPositionRows)
                .as("rows taken above the position: at most the user's jobs there")
                .isLessThanOrEqualTo(above);
    }

    @Test
    void aCappedReadOfAFewUsersReadsTheirRowsNotEveryRowOfTheSpan() {
        // issue 16: the catch-up read walked the span of every user's jobs by primary key and kept the few users'
        // rows; now each user's jobs come from the (workspace_id, user_id, job_id) index. Datasets of the default
        // size here (in datasets of 500 jobs PostgreSQL rightly scans the whole of each instead)
        try (HikariDataSource own = TestDatabase.create()) {
            JobsDb queue = JobsDbs.open(own, JobsDbSettings.defaults()).queue(Queue.RT);
            Random random = new Random(16);
            List<NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < 20_000; i++)
                jobs.add(NewJob.of("u" + random.nextInt(40), "ws", "WEBHOOK", "{\"destination_id\":\"d\"}", "{}"));
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i += 1_000) ids.addAll(queue.store(jobs.subList(i, i + 1_000)));
            JdbcClient sql = JdbcClient.create(own);
            sql.sql("ANALYZE rt_jobs").update(); // as autovacuum would have by now
            Set<JobQuery.User> few = Set.of(new JobQuery.User("ws", "u1"), new JobQuery.User("ws", "u2"));
            List<Long> theirs = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++)
                if (few.contains(new JobQuery.User("ws", jobs.get(i).userId()))) theirs.add(ids.get(i));
            JobQuery query =
                    JobQuery.first(1000).customVal("WEBHOOK").ofUsers(few).walkingAtMost(1);
            new TransactionTemplate(new DataSourceTransactionManager(own)).executeWithoutResult(status -> {
                JobPage page = queue.fetchUnprocessedPage(query);
                assertThat(page.capped())
                        .as("one window of 4,000 ids, of 20,000")
                        .isTrue();
                assertThat(ids(page))
                        .isEqualTo(theirs.stream()
                                .filter(id -> id <= page.walkedTo())
                                .toList());
                // the rows of rt_jobs this transaction read: their jobs in the window and the payloads of those
                // returned (and the window's first and last id), not the 4,000 rows of the span
                long read = sql.sql("""
                                SELECT coalesce(sum(seq_tup_read + coalesce(idx_tup_fetch, 0)), 0)
                                FROM pg_stat_xact_user_tables WHERE relname ~ '^rt_jobs_[0-9]+$'""").query(Long.class).single();
                assertThat(read)
                        .as(
                                "rows of rt_jobs read for %d jobs returned",
                                page.jobs().size())
                        .isLessThanOrEqualTo(2L * page.jobs().size() + 20);
            });
        }
    }
}
