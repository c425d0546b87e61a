package dev.eventpipe.router.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.router.ordering.OrderKey;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which worker of a destination a user's jobs go to. */
class WorkerIndexTest {
    @Test
    void theBenchmarksUsersSpreadOverEveryWorker() {
        int[] users = new int[8];
        for (int u = 0; u < 192; u++)
            users[
                    DestinationWorkers.index(
                            new OrderKey("ws-bench", "dst-sink", "<<>>anon-" + u + "<<>>user-" + u), 8)]++;
        // 24 each on average; with FNV-1a alone 4 workers had none and one had 90
        assertThat(IntStream.of(users).min().orElseThrow()).isGreaterThanOrEqualTo(12);
        assertThat(IntStream.of(users).max().orElseThrow()).isLessThanOrEqualTo(40);
    }

    @Test
    void aKeyAlwaysGoesToTheSameWorker() {
        IntStream.range(0, 1_000).forEach(u -> {
            OrderKey key = new OrderKey("ws", "d", "user-" + u);
            assertThat(DestinationWorkers.index(key, 8))
                    .isEqualTo(DestinationWorkers.index(new OrderKey("ws", "d", "user-" + u), 8))
                    .isBetween(0, 7);
        });
    }
}
