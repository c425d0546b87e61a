package dev.eventpipe.jobsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConcurrentWritersIT {
    @Test
    void twoWritersAndOnePagingReaderLoseNothingAndReadNothingTwice() throws Exception {
        try (HikariDataSource dataSource = TestDatabase.create();
                ExecutorService pool = Executors.newFixedThreadPool(3)) {
            // small datasets so that writers cross several dataset boundaries while the reader pages
            var settings = new JobsDbSettings(7_000, Long.MAX_VALUE, Duration.ofDays(1), Duration.ofSeconds(5), true);
            JobsDbs dbs = JobsDbs.open(dataSource, settings, new SimpleMeterRegistry(), InstantSource.system());
            JobsDb gw = dbs.queue(Queue.GW);
            int perWriter = 20_000;
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            List<Future<?>> writers = new ArrayList<>();
            for (String writer : List.of("a", "b")) {
                writers.add(pool.submit(() -> {
                    for (int b = 0; b < perWriter / 250; b++) {
                        int base = b * 250;
                        List<NewJob> jobs = IntStream.range(0, 250)
                                .mapToObj(i -> NewJob.of(
                                        writer + "-" + ((base + i) % 50),
                                        "ws",
                                        "GW",
                                        "{}",
                                        "{\"w\":\"" + writer + "\",\"i\":" + (base + i) + "}"))
                                .toList();
                        acknowledged.addAll(gw.store(jobs));
                    }
                }));
            }
            Future<List<Job>> reader = pool.submit(() -> {
                List<Job> seen = new ArrayList<>();
                long after = 0;
                while (seen.size() < 2 * perWriter) {
                    // the reader pages by job id only: commit ordering guarantees no job appears below the cursor later
                    List<Job> page = gw.fetchUnprocessed(JobQuery.first(1_000).after(after));
                    if (page.isEmpty()) {
                        if (writers.stream().allMatch(Future::isDone) && seen.size() < 2 * perWriter) {
                            page = gw.fetchUnprocessed(JobQuery.first(1_000).after(after));
                            if (page.isEmpty()) break;
                        } else continue;
                    }
                    Instant now = Instant.now();
                    gw.updateStatus(page.stream()
                            .map(j -> StatusUpdate.of(j.jobId(), JobState.EXECUTING, 1, now))
                            .toList());
                    seen.addAll(page);
                    after = page.getLast().jobId();
                    dbs.maintenance().runOnce();
                }
                return seen;
            });
            for (Future<?> w : writers) w.get();
            List<Job> seen = reader.get();

            assertThat(acknowledged).hasSize(2 * perWriter);
            Set<Long> seenIds = new HashSet<>();
            seen.forEach(j -> seenIds.add(j.jobId()));
            assertThat(seen).hasSize(2 * perWriter); // nothing read twice
            assertThat(seenIds).isEqualTo(acknowledged); // nothing lost
            // each writer's jobs of one user come out in the order they were written
            for (String writer : List.of("a", "b")) {
                List<Integer> order = seen.stream()
                        .filter(j -> j.userId().equals(writer + "-7"))
                        .map(j -> Integer.parseInt(j.payload().replaceAll(".*\"i\":(\\d+).*", "$1")))
                        .toList();
                assertThat(order).hasSize(perWriter / 50).isSorted();
            }
        }
    }
}
