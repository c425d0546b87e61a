package dev.eventpipe.configbackend.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FailureWindowTest {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    final FailureWindow window = new FailureWindow(3, Duration.ofMinutes(10), 100, now::get);

    @Test
    void aKeyIsRefusedOnceItsFailuresReachTheLimitUntilTheOldestLeavesTheWindow() {
        fail("a");
        advance(Duration.ofMinutes(1));
        fail("a");
        advance(Duration.ofMinutes(1));
        assertThat(window.begin("a")).isEmpty();
        assertThat(window.failed("a")).as("this failure locks the key").isTrue();

        assertThat(window.begin("a")).contains(Duration.ofMinutes(8));
        assertThat(window.begin("b")).as("other keys are not affected").isEmpty();
        advance(Duration.ofMinutes(8).minusMillis(1));
        assertThat(window.begin("a")).contains(Duration.ofMillis(1));
        advance(Duration.ofMillis(1));
        assertThat(window.begin("a")).isEmpty();
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        fail("a");
        fail("a");
        advance(Duration.ofMinutes(10));
        fail("a");
        fail("a");
        assertThat(window.begin("a")).isEmpty();
    }

    @Test
    void aSuccessForgetsTheKeysFailures() {
        fail("a");
        fail("a");
        assertThat(window.begin("a")).isEmpty();
        window.succeeded("a");
        fail("a");
        fail("a");
        assertThat(window.begin("a")).isEmpty();
        window.failed("a");
        assertThat(window.begin("a")).isPresent();
    }

    @Test
    void attemptsStillBeingCheckedCountSoAParallelBurstCannotPassTheLimit() {
        fail("a");
        assertThat(window.begin("a")).isEmpty();
        assertThat(window.begin("a")).isEmpty();
        assertThat(window.begin("a")).contains(FailureWindow.PENDING_WAIT);
        window.released("a");
        assertThat(window.begin("a")).isEmpty();
    }

    @Test
    void beyondItsCapacityTheWindowForgetsTheStalestKey() {
        FailureWindow small = new FailureWindow(1, Duration.ofMinutes(10), 2, now::get);
        for (String key : new String[] {"a", "b", "c"}) {
            assertThat(small.begin(key)).isEmpty();
            small.failed(key);
        }
        assertThat(small.begin("a")).as("forgotten").isEmpty();
        assertThat(small.begin("c")).as("still remembered").isPresent();
    }

    private void fail(String key) {
        assertThat(window.begin(key)).isEmpty();
        window.failed(key);
    }

    private void advance(Duration duration) {
        now.updateAndGet(t -> t.plus(duration));
    }
}
