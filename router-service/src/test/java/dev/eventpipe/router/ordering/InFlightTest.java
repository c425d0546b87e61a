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
    void theHighestHeldJobOfEachKeyIsWhereAPickupParksIt() {
        InFlight inFlight = new InFlight();
        OrderKey bob = new OrderKey("ws", "d1", "bob");
        OrderKey carol = new OrderKey("ws", "d1", "carol");
        inFlight.handedOver(alice, 5);
        inFlight.handedOver(alice, 7);
        inFlight.handedOver(alice, 6);
        inFlight.handedOver(bob, 3);
        inFlight.stuck(bob, 3);
        // a group whose first job is stuck and whose later ones are still in flight: its highest
        inFlight.handedOver(carol, 10);
        inFlight.handedOver(carol, 11);
        inFlight.stuck(carol, 10);
        Set<Integer> all = Set.of(alice.partition(), bob.partition(), carol.partition());
        assertThat(inFlight.highestHeld(all))
                .containsEntry(alice, 7L)
                .containsEntry(bob, 3L)
                .containsEntry(carol, 11L);
        // the count settles, the highest stays until the last job of the group is settled
        inFlight.committed(alice);
        assertThat(inFlight.highestHeld(all)).containsEntry(alice, 7L);
        inFlight.committed(alice);
        inFlight.committed(alice);
        inFlight.committed(carol);
        assertThat(inFlight.highestHeld(all))
                .doesNotContainKey(alice)
                .containsEntry(bob, 3L)
                .containsEntry(carol, 10L);
        assertThat(inFlight.highestHeld(Set.of())).isEmpty();
    }
}
