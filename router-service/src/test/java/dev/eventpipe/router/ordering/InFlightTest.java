package dev.eventpipe.router.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class InFlightTest {
    final OrderKey alice = new OrderKey("ws", "d1", "alice");

    @Test
    void aStuckJobHoldsItsUserButNotAHandoverOfItsPartition() {
        InFlight inFlight = new InFlight();
        inFlight.handedOver(alice, 42);
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

    @Test
    void theLowestHeldJobOfEachKeyIsWhereAPickupParksIt() {
        InFlight inFlight = new InFlight();
        OrderKey bob = new OrderKey("ws", "d1", "bob");
        inFlight.handedOver(alice, 7);
        inFlight.handedOver(alice, 5);
        inFlight.handedOver(bob, 9);
        inFlight.stuck(bob, 3);
        Set<Integer> both = Set.of(alice.partition(), bob.partition());
        assertThat(inFlight.lowestHeld(both)).containsEntry(alice, 5L).containsEntry(bob, 3L);
        inFlight.committed(alice);
        inFlight.committed(alice);
        assertThat(inFlight.lowestHeld(both)).doesNotContainKey(alice).containsEntry(bob, 3L);
        assertThat(inFlight.lowestHeld(Set.of())).isEmpty();
    }
}
