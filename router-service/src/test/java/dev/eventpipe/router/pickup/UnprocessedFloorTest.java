package dev.eventpipe.router.pickup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnprocessedFloorTest {
    @Test
    void theFloorMovesToTheHighestJobThatGotAStatus() {
        var floor = new Pickup.UnprocessedFloor(10);
        floor.seen(11, true);
        floor.seen(15, true);
        assertThat(floor.next()).isEqualTo(15);
    }

    @Test
    void aJobKeptWithoutAStatusHoldsTheFloorBelowIt() {
        var floor = new Pickup.UnprocessedFloor(10);
        floor.seen(11, true);
        floor.seen(12, false);
        floor.seen(15, true);
        assertThat(floor.next()).isEqualTo(11);
    }

    @Test
    void nothingSeenLeavesTheFloorWhereItWas() {
        assertThat(new Pickup.UnprocessedFloor(42).next()).isEqualTo(42);
        var floor = new Pickup.UnprocessedFloor(42);
        floor.seen(43, false);
        assertThat(floor.next()).isEqualTo(42);
    }
}
