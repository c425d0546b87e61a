package dev.eventpipe.router.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class InFlightTest {
    final OrderKey alice = new OrderKey("ws", "d1", "alice");

    @Test
    void aStuckJobHoldsItsUserButNotAHandoverOfItsPartition() {
        InFlight inFlight = new InFlight();
        inFlight.handedOver(alice);
        inFlight.stuck(alice, 42);
        assertThat(inFlight.has(alice)).as("its user's later jobs wait").isTrue();
        assertThat(inFlight.stuckJobs()).containsExactly(42L);
        // a handover of its partition does not wait for a job that never settles; the next owner recovers it
        Set<Integer> partition = Set.of(alice.partition());
        assertThat(inFlight.hasAny(partition)).isFalse();
        inFlight.forgetPartitions(partition);
        assertThat(inFlight.has(alice)).isFalse();
        assertThat(inFlight.stuckJobs()).isEmpty();
    }
}
