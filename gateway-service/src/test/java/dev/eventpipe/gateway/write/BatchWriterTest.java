package dev.eventpipe.gateway.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.jobsdb.Job;
import dev.eventpipe.jobsdb.JobPage;
import dev.eventpipe.jobsdb.JobQuery;
import dev.eventpipe.jobsdb.JobsDb;
import dev.eventpipe.jobsdb.JobsDbException;
import dev.eventpipe.jobsdb.NewJob;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.jobsdb.StatusUpdate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The writer thread's promises, with a queue whose store misbehaves on demand. */
class BatchWriterTest {
    private final List<List<String>> calls = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private BatchWriter writer;

    @AfterEach
    void close() {
        if (writer != null) writer.close();
    }

    private BatchWriter writer(Consumer<List<NewJob>> store) {
        JobsDb gw = new JobsDb() {
            @Override
            public Queue queue() {
                return Queue.GW;
            }

            @Override
            public List<Long> store(List<NewJob> jobs) {
                calls.add(jobs.stream().map(NewJob::payload).toList());
                store.accept(jobs);
                return jobs.stream().map(j -> 1L).toList();
            }

            @Override
            public List<Job> fetchUnprocessed(JobQuery query) {
                return List.of();
            }

            @Override
            public JobPage fetchUnprocessedPage(JobQuery query) {
                return new JobPage(List.of(), false, 0, false);
            }

            @Override
            public List<Job> fetchToProcess(JobQuery query, Instant now) {
                return List.of();
            }

            @Override
            public JobPage fetchDeliverable(JobQuery query, Instant now) {
                return new JobPage(List.of(), false, 0, false);
            }

            @Override
            public java.util.Map<Long, dev.eventpipe.jobsdb.JobStatus> latestStatuses(
                    java.util.Collection<Long> jobIds) {
                return java.util.Map.of();
            }

            @Override
            public List<FirstUnresolved> firstUnresolved(Set<Integer> partitions, Instant now) {
                return List.of();
            }

            @Override
            public long lastJobId() {
                return 0;
            }

            @Override
            public List<Job> fetchRecent(JobQuery query) {
                return List.of();
            }

            @Override
            public void updateStatus(List<StatusUpdate> updates) {}
        };
        writer = new BatchWriter(
                gw, new WriterProperties(100, 1 << 20, 1000, Duration.ofSeconds(10), Duration.ZERO), meters);
        return writer;
    }

    private static List<NewJob> request(String payload) {
        return List.of(NewJob.of("u", "ws", "GW", "{}", payload));
    }

    @Test
    void anErrorDuringACommitFailsItsRequestsAndTheWriterGoesOn() {
        BatchWriter writer = writer(jobs -> {
            if (jobs.getFirst().payload().equals("\"boom\"")) throw new OutOfMemoryError("simulated");
        });

        assertThat(writer.write(request("\"boom\""))).isInstanceOf(WriteOutcome.Failed.class);
        assertThat(writer.write(request("\"next\""))).isInstanceOf(WriteOutcome.Stored.class);
        assertThat(writer.alive()).isTrue();
    }

    @Test
    void aGroupCommitTheDatabaseRefusesIsRetriedRequestByRequestSoOnlyTheBadOneFails() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BatchWriter writer = writer(jobs -> {
            if (jobs.getFirst().payload().equals("\"hold\"")) block(release);
            if (jobs.stream().anyMatch(j -> j.payload().equals("\"poison\"")))
                throw new JobsDbException("COPY failed", new SQLException("value too long", "22001"));
        });
        CompletableFuture<WriteOutcome> held = CompletableFuture.supplyAsync(() -> writer.write(request("\"hold\"")));
        await().until(() -> calls.size() == 1); // the writer is busy: the next three requests queue up together
        var good1 = CompletableFuture.supplyAsync(() -> writer.write(request("\"good-1\"")));
        await().until(() -> meters.get("gateway.writer.queue").gauge().value() == 1);
        var poison = CompletableFuture.supplyAsync(() -> writer.write(request("\"poison\"")));
        await().until(() -> meters.get("gateway.writer.queue").gauge().value() == 2);
        var good2 = CompletableFuture.supplyAsync(() -> writer.write(request("\"good-2\"")));
        await().until(() -> meters.get("gateway.writer.queue").gauge().value() == 3);
        release.countDown();

        assertThat(held.get()).isInstanceOf(WriteOutcome.Stored.class);
        assertThat(good1.get()).isInstanceOf(WriteOutcome.Stored.class);
        assertThat(poison.get()).isInstanceOf(WriteOutcome.DataRefused.class);
        assertThat(good2.get()).isInstanceOf(WriteOutcome.Stored.class);
        assertThat(calls)
                .containsExactly(
                        List.of("\"hold\""),
                        List.of("\"good-1\"", "\"poison\"", "\"good-2\""),
                        List.of("\"good-1\""),
                        List.of("\"poison\""),
                        List.of("\"good-2\""));
        assertThat(((WriteOutcome.DataRefused) poison.get()).reason()).contains("value too long");
    }

    @Test
    void aStoppedWriterRefusesAtOnceInsteadOfLettingRequestsWait() {
        BatchWriter writer = writer(jobs -> {});
        writer.close();
        assertThat(writer.alive()).isFalse();
        assertThat(writer.write(request("\"late\""))).isInstanceOf(WriteOutcome.Refused.class);
    }

    private static void block(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
