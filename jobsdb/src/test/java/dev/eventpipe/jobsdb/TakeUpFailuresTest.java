package dev.eventpipe.jobsdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TakeUpFailuresTest {
    static final int MAX = PartitionLeases.MAX_FAILED_TAKE_UPS;
    final TakeUpFailures failures = new TakeUpFailures(Duration.ofSeconds(100));
    long now = 1_000;

    @Test
    void aPartitionIsReleasedAfterFailingMaxRoundsInARowAndRestsUntilItsDeadlineWhateverTheRounds() {
        for (int round = 1; round < MAX; round++) {
            failures.gaining(Set.of(1));
            assertThat(failures.failed(Set.of(1), now)).isEmpty();
        }
        failures.gaining(Set.of(1));
        assertThat(failures.failed(Set.of(1), now)).containsExactly(1);
        for (int round = 0; round < 100; round++)
            assertThat(failures.resting(1, now + round)).isTrue();
        assertThat(failures.resting(1, now + Duration.ofSeconds(100).toNanos() - 1))
                .isTrue();
        assertThat(failures.resting(1, now + Duration.ofSeconds(100).toNanos())).isFalse();
        assertThat(failures.resting(2, now)).isFalse();
    }

    @Test
    void eachPartitionCountsItsOwnFailuresAndForgetsThemOnceItIsNoLongerGained() {
        for (int round = 1; round < MAX; round++) {
            failures.gaining(Set.of(1, 2));
            failures.failed(Set.of(1, 2), now);
        }
        failures.gaining(Set.of(2, 3)); // 1 went another way; 3 is new
        assertThat(failures.failed(Set.of(2, 3), now))
                .as("only 2 failed MAX rounds in a row")
                .containsExactly(2);
        failures.gaining(Set.of(1, 3));
        assertThat(failures.rounds(Set.of(1, 3)))
                .as("1 starts again from none, 3 failed once")
                .isEqualTo(1);
        assertThat(failures.failed(Set.of(1, 3), now)).isEmpty();
    }

    @Test
    void aSuccessfulTakeUpForgetsTheFailures() {
        for (int round = 1; round < MAX; round++) failures.failed(Set.of(1), now);
        failures.succeeded(Set.of(1));
        assertThat(failures.failed(Set.of(1), now)).isEmpty();
    }
}
