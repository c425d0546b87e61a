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

    /**
     * Issue 14 audit: each new version id started from none, so an editor bought one more 503 round for every tenant
     * sharing its requests with each version saved. While a workspace has a version in exile, every version of it is
     * struck at once; other workspaces and versions whose owner is not known are not.
     */
    @Test
    void everyVersionOfAWorkspaceWithAVersionInExileIsStruckAtOnceUntilTheExileEnds() {
        HeapStrikes strikes = strikes(1);
        strikes.strike("v1", "workspace w");
        assertThat(strikes.struck("v2", "workspace w"))
                .as("a new version of the same workspace")
                .isTrue();
        assertThat(strikes.struck("v3", "workspace other")).isFalse();
        assertThat(strikes.struck("v4", null)).isFalse();
        now.addAndGet(99);
        assertThat(strikes.struck("v2", "workspace w")).isTrue();
        now.addAndGet(1);
        assertThat(strikes.struck("v2", "workspace w"))
                .as("back with the exiled version")
                .isFalse();
        assertThat(strikes.struck("v1", "workspace w")).isFalse();
    }

    @Test
    void aWorkspacesExilesDoubleWhicheverVersionFillsTheHeap() {
        HeapStrikes strikes = strikes(1);
        strikes.strike("v1", "workspace w");
        now.addAndGet(100);
        assertThat(strikes.struck("v2", "workspace w")).isFalse();
        strikes.strike("v2", "workspace w"); // a new version hoards after the return
        now.addAndGet(199);
        assertThat(strikes.struck("v3", "workspace w"))
                .as("the workspace's second exile is twice as long")
                .isTrue();
        now.addAndGet(1);
        assertThat(strikes.struck("v3", "workspace w")).isFalse();
        strikes.strike("v3", "workspace w");
        now.addAndGet(399);
        assertThat(strikes.struck("v3", "workspace w"))
                .as("and its third four times")
                .isTrue();
        now.addAndGet(1);
        assertThat(strikes.struck("v3", "workspace w")).isFalse();
    }

    @Test
    void troubleOfAVersionExiledForItsWorkspaceStartsTheWorkspacesProbationAgain() {
        HeapStrikes strikes = strikes(1);
        strikes.strike("v1", "workspace w");
        now.addAndGet(90);
        strikes.troubleInOwnProcess("v2", "workspace w");
        now.addAndGet(99);
        assertThat(strikes.struck("v1", "workspace w")).isTrue();
        assertThat(strikes.struck("v2", "workspace w")).isTrue();
        now.addAndGet(1);
        assertThat(strikes.struck("v1", "workspace w")).isFalse();
        assertThat(strikes.struck("v2", "workspace w")).isFalse();
    }

    @Test
    void troubleOfAVersionThatIsNotExiledChangesNothing() {
        HeapStrikes strikes = strikes(1);
        strikes.troubleInOwnProcess("v");
        assertThat(strikes.struck("v")).isFalse();
        strikes.troubleInOwnProcess("v", "workspace w");
        assertThat(strikes.struck("v", "workspace w")).isFalse();
    }
}
