package dev.eventpipe.jobsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class PartitionLeasesIT {
    HikariDataSource dataSource;
    // threads of their own for rounds and open commits (the common pool may have one thread on a 2-core machine)
    ExecutorService threads;

    @BeforeEach
    void open() {
        dataSource = TestDatabase.create();
        JobsDbs.migrate(dataSource);
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        dataSource.close();
    }

    static class Recorder implements PartitionLeases.Listener {
        final Set<Integer> acquired = ConcurrentHashMap.newKeySet();
        final Set<Integer> lost = ConcurrentHashMap.newKeySet();

        @Override
        public void acquired(Set<Integer> partitions) {
            acquired.addAll(partitions);
        }

        @Override
        public void lost(Set<Integer> partitions) {
            lost.addAll(partitions);
        }
    }

    private PartitionLeases leases(String holder, Duration ttl, Recorder recorder) {
        return new PartitionLeases(dataSource, "processor", holder, ttl, recorder);
    }

    @Test
    void twoReplicasSplitThePartitionsWithoutOverlap() {
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        PartitionLeases a = leases("a", Duration.ofMinutes(1), ra);
        PartitionLeases b = leases("b", Duration.ofMinutes(1), rb);
        a.rebalanceNow();
        assertThat(a.owned()).hasSize(UserPartition.COUNT);

        b.rebalanceNow(); // b sees a live holder; a has everything, so b waits for a to give back
        a.rebalanceNow(); // a's share is now half: it gives the rest back
        b.rebalanceNow();
        assertThat(a.owned()).hasSize(UserPartition.COUNT / 2);
        assertThat(b.owned()).hasSize(UserPartition.COUNT / 2);
        Set<Integer> both = new HashSet<>(a.owned());
        both.retainAll(b.owned());
        assertThat(both).isEmpty();
        assertThat(ra.lost).hasSize(UserPartition.COUNT / 2);
        assertThat(rb.acquired).isEqualTo(b.owned());
    }

    @Test
    void aDeadReplicasPartitionsAreTakenOverAfterItsLeasesExpire() {
        PartitionLeases a = leases("a", Duration.ofMillis(300), new Recorder());
        Recorder rb = new Recorder();
        PartitionLeases b = leases("b", Duration.ofMillis(300), rb);
        a.rebalanceNow();
        Set<Integer> aHad = a.owned();
        // a is killed here: it was never started, so from now on nothing renews or releases its leases

        b.rebalanceNow();
        assertThat(b.owned()).isEmpty(); // not expired yet
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            b.rebalanceNow();
            assertThat(b.owned()).containsAll(aHad);
        });
        assertThat(rb.acquired).containsAll(aHad);
    }

    @Test
    void committingForAPartitionNoLongerHeldFails() {
        PartitionLeases a = leases("a", Duration.ofMinutes(1), new Recorder());
        a.rebalanceNow();
        var tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        tx.executeWithoutResult(s -> a.assertHeld(Set.of(1, 2)));
        a.close();
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> a.assertHeld(Set.of(1))))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("[1]");
    }

    @Test
    void partitionsWhoseRecoveryFailedStayLeasedUnownedAndAreAcquiredAgainNextRound() {
        var failOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
        Recorder recorder = new Recorder() {
            @Override
            public void acquired(Set<Integer> partitions) {
                if (failOnce.getAndSet(false)) throw new IllegalStateException("recovery failed");
                super.acquired(partitions);
            }
        };
        PartitionLeases a = leases("a", Duration.ofMinutes(1), recorder);
        a.rebalanceNow(); // the round itself goes on: renewals, heartbeat, give-backs
        assertThat(a.owned()).isEmpty();
        assertThat(recorder.acquired).isEmpty();
        // not released: work of a that has not stopped could still be going on in them
        assertThat(org.springframework.jdbc.core.simple.JdbcClient.create(dataSource)
                        .sql("SELECT count(*) FROM jobsdb_partition_leases WHERE holder = 'a'")
                        .query(Long.class)
                        .single())
                .isEqualTo(UserPartition.COUNT);
        a.rebalanceNow();
        assertThat(a.owned()).hasSize(UserPartition.COUNT);
        assertThat(recorder.acquired).hasSize(UserPartition.COUNT);
    }

    @Test
    void partitionsWhoseTakeUpKeepsFailingAreReleasedSoAnotherReplicaMayTakeThemUp() {
        Recorder failing = new Recorder() {
            @Override
            public void acquired(Set<Integer> partitions) {
                throw new IllegalStateException("recovery failed: the database refused it");
            }
        };
        PartitionLeases a = leases("a", Duration.ofMinutes(1), failing);
        for (int round = 1; round < PartitionLeases.MAX_FAILED_TAKE_UPS; round++) a.rebalanceNow();
        assertThat(leasesHeldBy("a")).as("leased while it may still succeed").isEqualTo(UserPartition.COUNT);
        a.rebalanceNow();
        assertThat(leasesHeldBy("a")).as("released after the last failed round").isZero();
        assertThat(a.owned()).isEmpty();

        Recorder rb = new Recorder();
        PartitionLeases b = leases("b", Duration.ofMinutes(1), rb);
        a.rebalanceNow(); // a claims them again, but gives them back at once while they rest
        assertThat(leasesHeldBy("a")).isZero();
        b.rebalanceNow(); // two live members: b takes up its share
        assertThat(b.owned()).hasSize(UserPartition.COUNT / 2);
        assertThat(rb.acquired).isEqualTo(b.owned());
    }

    @Test
    void partitionsWhoseWorkHasNotStoppedStayLeasedHoweverManyRoundsItTakes() {
        Recorder notReady = new Recorder() {
            @Override
            public void acquired(Set<Integer> partitions) {
                throw new PartitionLeases.NotReady("deliveries in flight did not settle in time");
            }
        };
        PartitionLeases a = leases("a", Duration.ofMinutes(1), notReady);
        for (int round = 0; round < 2 * PartitionLeases.MAX_FAILED_TAKE_UPS; round++) a.rebalanceNow();
        assertThat(a.owned()).isEmpty();
        assertThat(leasesHeldBy("a")).isEqualTo(UserPartition.COUNT);
    }

    private long leasesHeldBy(String holder) {
        return org.springframework.jdbc.core.simple.JdbcClient.create(dataSource)
                .sql("SELECT count(*) FROM jobsdb_partition_leases WHERE holder = :holder")
                .param("holder", holder)
                .query(Long.class)
                .single();
    }

    @Test
    void aReplicaGivesPartitionsBackOnlyAfterItsWorkOnThemStopped() {
        Recorder rb = new Recorder();
        PartitionLeases b = leases("b", Duration.ofMinutes(1), rb);
        var stops = new java.util.concurrent.atomic.AtomicInteger();
        Recorder ra = new Recorder() {
            @Override
            public void lost(Set<Integer> partitions) {
                // while a stops its work, the replica that joined cannot take the partitions yet
                b.rebalanceNow();
                assertThat(b.owned()).isEmpty();
                if (stops.incrementAndGet() == 1) throw new IllegalStateException("work did not stop in time");
                super.lost(partitions);
            }
        };
        PartitionLeases a = leases("a", Duration.ofMinutes(1), ra);
        a.rebalanceNow();
        b.rebalanceNow(); // b is a live member now; a holds everything

        a.rebalanceNow(); // a's work on the surplus does not stop: it keeps the leases, works on its share only
        assertThat(a.owned()).hasSize(UserPartition.COUNT / 2);
        b.rebalanceNow();
        assertThat(b.owned()).isEmpty();

        a.rebalanceNow(); // now it stops, and only then are the leases released
        assertThat(stops).hasValue(2);
        b.rebalanceNow();
        assertThat(b.owned()).hasSize(UserPartition.COUNT / 2);
        Set<Integer> both = new HashSet<>(a.owned());
        both.retainAll(b.owned());
        assertThat(both).isEmpty();
    }

    @Test
    void aReplicaWhoseRenewalsFailStopsStartingWorkBeforeItsLeasesCanExpire() {
        var cut = new java.util.concurrent.atomic.AtomicBoolean();
        javax.sql.DataSource flaky = new org.springframework.jdbc.datasource.DelegatingDataSource(dataSource) {
            @Override
            public java.sql.Connection getConnection() throws java.sql.SQLException {
                if (cut.get()) throw new java.sql.SQLException("database unreachable");
                return super.getConnection();
            }
        };
        PartitionLeases a = new PartitionLeases(flaky, "router", "a", Duration.ofSeconds(3), new Recorder()).start();
        try {
            assertThat(a.ownedFor(Duration.ofSeconds(1))).hasSize(UserPartition.COUNT);
            cut.set(true);
            // renewals fail from now on: before the leases can expire, no work that lasts a second may start
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> a.ownedFor(Duration.ofSeconds(1)).isEmpty());
            assertThat(a.owned()).as("still its partitions, as far as it knows").hasSize(UserPartition.COUNT);
            cut.set(false);
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> a.ownedFor(Duration.ofSeconds(1)).size() == UserPartition.COUNT);
        } finally {
            a.close();
        }
    }

    @Test
    void aPartitionGivenBackIsClaimedBeforeTheClaimantsNextRegularRound() {
        // regular rounds every 60 s; while the membership settles, every 6 s
        Duration ttl = Duration.ofMinutes(3);
        Recorder rb = new Recorder();
        PartitionLeases a = leases("a", ttl, new Recorder());
        a.rebalanceNow(); // a alone: it takes every partition (a is never started: its rounds are only these calls)
        PartitionLeases b = leases("b", ttl, rb).start(); // b joins: all taken, it claims nothing yet
        try {
            assertThat(b.owned()).isEmpty();
            assertThat(b.nextRoundMillis()).isEqualTo(6_000);
            a.rebalanceNow(); // a sees two live replicas and gives half back
            assertThat(a.owned()).hasSize(UserPartition.COUNT / 2);
            // b's next regular round would be 60 s after its start; the settling rounds claim the half first
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(40))
                    .until(() -> b.owned().size() == UserPartition.COUNT / 2);
            assertThat(rb.acquired).isEqualTo(b.owned());
            Set<Integer> both = new HashSet<>(a.owned());
            both.retainAll(b.owned());
            assertThat(both).isEmpty();
        } finally {
            b.close();
        }
    }

    @Test
    void roundsAreShortOnlyWhileTheMembershipSettles() throws InterruptedException {
        // a ttl of 1 h: regular rounds every 20 min, settling ones every 2 min
        PartitionLeases a = leases("a", Duration.ofHours(1), new Recorder());
        a.rebalanceNow();
        assertThat(a.nextRoundMillis()).as("just started: settling").isEqualTo(120_000);
        a.rebalanceNow();
        assertThat(a.nextRoundMillis())
                .as("same membership, but still within a ttl of the change")
                .isEqualTo(120_000);
        // a ttl of 900 ms: regular rounds every 300 ms, settling ones at the minimum
        PartitionLeases shortLived = leases("s", Duration.ofMillis(900), new Recorder());
        shortLived.rebalanceNow();
        assertThat(shortLived.nextRoundMillis()).isEqualTo(PartitionLeases.SETTLING_MIN_MILLIS);
        Thread.sleep(1_000); // one ttl later, with the same membership, the rounds are regular again
        shortLived.rebalanceNow();
        assertThat(shortLived.nextRoundMillis()).isEqualTo(300);
    }

    // review 0805 P2-1: a round used to lock every lease row of the group (INSERT ... ON CONFLICT DO UPDATE), so it
    // waited for every replica's open commit; these rounds would wait until the commits end, here never
    private static final long ROUND_BOUND_SECONDS = 20;

    @Test
    void aClaimRoundIsNotHeldUpByAnotherReplicasOpenCommit() throws Exception {
        PartitionLeases a = leases("a", Duration.ofMinutes(1), new Recorder());
        a.rebalanceNow(); // a holds every partition
        // a commit of a, open, holding its lease row of partition 5 FOR SHARE (as a commit of the version before did)
        try (OpenCommit commit = new OpenCommit(() -> assertThat(JdbcClient.create(dataSource)
                        .sql("""
                                SELECT partition FROM jobsdb_partition_leases
                                WHERE owner_group = 'processor' AND holder = 'a' AND partition = 5 FOR SHARE""")
                        .query(Integer.class)
                        .list())
                .containsExactly(5))) {
            PartitionLeases b = leases("b", Duration.ofMinutes(1), new Recorder());
            // b's share is half and it holds nothing: its round claims
            CompletableFuture.runAsync(b::rebalanceNow, threads).get(ROUND_BOUND_SECONDS, TimeUnit.SECONDS);
            assertThat(commit.open())
                    .as("the round ended while the commit was still open")
                    .isTrue();
            assertThat(b.owned()).as("every lease of a is valid").isEmpty();
            assertThat(leasesHeldBy("a")).isEqualTo(UserPartition.COUNT);
        }
    }

    @Test
    void aReplicasRoundIsNotHeldUpByItsOwnOpenCommit() throws Exception {
        PartitionLeases a = leases("a", Duration.ofMinutes(1), new Recorder());
        a.rebalanceNow();
        try (OpenCommit commit = new OpenCommit(() -> a.assertHeld(Set.of(5)))) {
            // the renewal of partition 5 too: a commit on a row no longer stops its holder renewing it
            CompletableFuture.runAsync(a::rebalanceNow, threads).get(ROUND_BOUND_SECONDS, TimeUnit.SECONDS);
            assertThat(commit.open())
                    .as("the round ended while the commit was still open")
                    .isTrue();
            assertThat(a.owned()).hasSize(UserPartition.COUNT);
            assertThat(a.ownedFor(Duration.ofSeconds(30))).hasSize(UserPartition.COUNT);
        }
    }

    @Test
    void aLeaseThatExpiresDuringItsHoldersCommitIsTakenByNobodyUntilTheCommitEnds() throws Exception {
        PartitionLeases a = leases("a", Duration.ofSeconds(1), new Recorder());
        PartitionLeases b = leases("b", Duration.ofMinutes(1), new Recorder());
        a.rebalanceNow();
        String handOverByHand =
                "UPDATE jobsdb_partition_leases SET holder = 'c' WHERE owner_group = 'processor' AND partition = 5";
        CompletableFuture<Integer> handOver;
        try (OpenCommit commit = new OpenCommit(() -> a.assertHeld(Set.of(5)))) {
            // renewed during the commit: the renewal does not take the commit's lock away
            CompletableFuture.runAsync(a::rebalanceNow, threads).get(ROUND_BOUND_SECONDS, TimeUnit.SECONDS);
            // a stops renewing here; once its leases and its membership expire, b's share is every partition
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                CompletableFuture.runAsync(b::rebalanceNow, threads).get(ROUND_BOUND_SECONDS, TimeUnit.SECONDS);
                assertThat(b.owned()).hasSize(UserPartition.COUNT - 1);
            });
            assertThat(b.owned()).as("expired, but a's commit holds it").doesNotContain(5);
            // nor does any statement that hands the row to another holder take it (V14): a claim of the version
            // before (INSERT ... ON CONFLICT DO UPDATE) in a rolling upgrade, or an UPDATE by hand
            handOver = CompletableFuture.supplyAsync(
                    () -> JdbcClient.create(dataSource).sql(handOverByHand).update(), threads);
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(ROUND_BOUND_SECONDS))
                    .until(() -> JdbcClient.create(dataSource)
                                    .sql(
                                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query = :q")
                                    .param("q", handOverByHand)
                                    .query(Long.class)
                                    .single()
                            == 1);
            assertThat(handOver).as("waits for the commit").isNotDone();
            assertThat(commit.open()).isTrue();
        }
        assertThat(handOver.get(ROUND_BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(1);
        b.rebalanceNow(); // still expired: b claims it now that the commit has ended
        assertThat(b.owned()).hasSize(UserPartition.COUNT);
    }

    // review 0805 P3-4: the failures were counted per replica, so failures of partitions that had gone another way
    // counted against the next gain

    @Test
    void failedTakeUpsOfAPartitionAreForgottenOnceItGoesAnotherWay() {
        var failing = new AtomicBoolean();
        Recorder ra = new Recorder() {
            @Override
            public void acquired(Set<Integer> partitions) {
                if (failing.get()) throw new IllegalStateException("recovery failed: socket timeout");
                super.acquired(partitions);
            }
        };
        PartitionLeases a = leases("a", Duration.ofMinutes(1), ra);
        PartitionLeases b = leases("b", Duration.ofMinutes(1), new Recorder());
        a.rebalanceNow();
        b.rebalanceNow();
        a.rebalanceNow();
        b.rebalanceNow(); // a and b hold half each
        b.close(); // b stops: a's share is every partition again
        failing.set(true);
        for (int round = 1; round < PartitionLeases.MAX_FAILED_TAKE_UPS; round++) a.rebalanceNow();
        assertThat(leasesHeldBy("a")).as("b's half: leased, not taken up").isEqualTo(UserPartition.COUNT);

        // c joins: a gives b's half back without having taken it up, so those partitions went another way
        PartitionLeases c = leases("c", Duration.ofMinutes(1), new Recorder());
        c.rebalanceNow();
        a.rebalanceNow();
        assertThat(leasesHeldBy("a")).isEqualTo(UserPartition.COUNT / 2);
        c.close(); // and leaves before it claimed anything

        a.rebalanceNow(); // a claims b's half again, and its take-up fails once
        assertThat(leasesHeldBy("a"))
                .as("kept: one failure since they came back, not one more than the failures before")
                .isEqualTo(UserPartition.COUNT);
        failing.set(false);
        a.rebalanceNow();
        assertThat(a.owned()).hasSize(UserPartition.COUNT);
    }

    @Test
    void partitionsReleasedForFailedTakeUpsRestForATimeNotForACountOfRounds() {
        Recorder failing = new Recorder() {
            @Override
            public void acquired(Set<Integer> partitions) {
                throw new IllegalStateException("recovery failed: the database refused it");
            }
        };
        // a ttl of 1 min: a rest of MAX_FAILED_TAKE_UPS regular rounds is 100 s
        PartitionLeases a = leases("a", Duration.ofMinutes(1), failing);
        for (int round = 0; round < PartitionLeases.MAX_FAILED_TAKE_UPS; round++) a.rebalanceNow();
        assertThat(leasesHeldBy("a")).as("released").isZero();
        // while the membership settles rounds come every 200 ms: three times as many rounds as failures
        for (int round = 0; round < 3 * PartitionLeases.MAX_FAILED_TAKE_UPS; round++) {
            a.rebalanceNow();
            assertThat(leasesHeldBy("a"))
                    .as("claimed and given back at once while they rest")
                    .isZero();
        }
    }

    /** A transaction kept open on a thread of its own (a commit in progress) until closed; then it commits. */
    final class OpenCommit implements AutoCloseable {
        private final CountDownLatch end = new CountDownLatch(1);
        private final CompletableFuture<Integer> backend = new CompletableFuture<>();
        private final CompletableFuture<Void> done;

        OpenCommit(Runnable work) throws Exception {
            var tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            done = CompletableFuture.runAsync(
                    () -> tx.executeWithoutResult(s -> {
                        work.run();
                        backend.complete(JdbcClient.create(dataSource)
                                .sql("SELECT pg_backend_pid()")
                                .query(Integer.class)
                                .single());
                        try {
                            end.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }),
                    threads);
            done.whenComplete((ok, e) -> backend.completeExceptionally(new IllegalStateException("ended early", e)));
            backend.get(ROUND_BOUND_SECONDS, TimeUnit.SECONDS);
        }

        /** Its transaction is still open: its session waits in it. */
        boolean open() throws Exception {
            return "idle in transaction"
                    .equals(JdbcClient.create(dataSource)
                            .sql("SELECT state FROM pg_stat_activity WHERE pid = :pid")
                            .param("pid", backend.get())
                            .query(String.class)
                            .optional()
                            .orElse(""));
        }

        @Override
        public void close() throws Exception {
            end.countDown();
            done.get(ROUND_BOUND_SECONDS, TimeUnit.SECONDS);
        }
    }
}
