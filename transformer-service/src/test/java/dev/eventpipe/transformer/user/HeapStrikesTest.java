package dev.eventpipe.transformer.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A struck version's way back to the shared transformer (review-solo P1-1), on a clock the test moves: it returns
 * after its probation with no memory trouble in its own process, trouble there starts the probation again, and each
 * new exile is twice as long as the one before.
 */
class HeapStrikesTest {
    private static final Duration PROBATION = Duration.ofNanos(100);
    private final AtomicLong now = new AtomicLong(1_000);

    private HeapStrikes strikes(int limit) {
        return new HeapStrikes(limit, 10, PROBATION, now::get);
    }

    @Test
    void aStruckVersionReturnsAfterItsProbationAndEachNewExileIsTwiceAsLong() {
        HeapStrikes strikes = strikes(1);
        strikes.strike("v");
        now.addAndGet(99);
        assertThat(strikes.struck("v")).isTrue();
        now.addAndGet(1);
        assertThat(strikes.struck("v")).as("back after one probation").isFalse();

        strikes.strike("v"); // it hoards again in the shared transformer
        now.addAndGet(199);
        assertThat(strikes.struck("v")).isTrue();
        now.addAndGet(1);
        assertThat(strikes.struck("v")).as("back after two probations").isFalse();

        strikes.strike("v");
        now.addAndGet(399);
        assertThat(strikes.struck("v")).isTrue();
        now.addAndGet(1);
        assertThat(strikes.struck("v")).as("back after four probations").isFalse();
    }

    @Test
    void troubleInItsOwnProcessStartsItsProbationAgain() {
        HeapStrikes strikes = strikes(1);
        strikes.strike("v");
        now.addAndGet(90);
        strikes.troubleInOwnProcess("v");
        now.addAndGet(99);
        assertThat(strikes.struck("v")).isTrue();
        now.addAndGet(1);
        assertThat(strikes.struck("v")).isFalse();
    }

    @Test
    void belowTheLimitACompletedRequestClearsTheStrikesAndAReturnedVersionStartsFromNone() {
        HeapStrikes strikes = strikes(2);
        strikes.strike("v");
        strikes.clear("v");
        strikes.strike("v");
        assertThat(strikes.struck("v")).isFalse();
        strikes.strike("v");
        assertThat(strikes.struck("v")).isTrue();
        strikes.clear("v"); // a request in its own process does not forgive it
        assertThat(strikes.struck("v")).isTrue();

        now.addAndGet(100);
        assertThat(strikes.struck("v")).isFalse();
        strikes.strike("v");
        assertThat(strikes.struck("v"))
                .as("one strike after a return is below the limit")
                .isFalse();
        strikes.strike("v");
        assertThat(strikes.struck("v")).isTrue();
        now.addAndGet(199);
        assertThat(strikes.struck("v")).as("the second exile is twice as long").isTrue();
    }

    @Test
    void troubleOfAVersionThatIsNotExiledChangesNothing() {
        HeapStrikes strikes = strikes(1);
        strikes.troubleInOwnProcess("v");
        assertThat(strikes.struck("v")).isFalse();
    }
}
