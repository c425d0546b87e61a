package dev.eventpipe.router.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class BarrierTest {
    final OrderKey alice = new OrderKey("ws", "d1", "alice");
    final OrderKey bob = new OrderKey("ws", "d1", "bob");

    @Test
    void aFailedJobHoldsOnlyLaterJobsOfItsOwnKey() {
        Barrier barrier = new Barrier();
        barrier.failed(alice, 10);
        assertThat(barrier.blockerOf(alice, 11)).contains(10L);
        assertThat(barrier.blockerOf(alice, 10)).isEmpty();
        assertThat(barrier.blockerOf(alice, 9)).isEmpty();
        assertThat(barrier.blockerOf(bob, 11)).isEmpty();
    }

    @Test
    void theEarliestFailureBlocksUntilItIsResolved() {
        Barrier barrier = new Barrier();
        barrier.failed(alice, 10);
        barrier.failed(alice, 12);
        assertThat(barrier.blockerOf(alice, 13)).contains(10L);
        barrier.resolved(alice, 12);
        assertThat(barrier.blockerOf(alice, 13)).contains(10L);
        barrier.resolved(alice, 10);
        assertThat(barrier.blockerOf(alice, 13)).isEmpty();
    }

    @Test
    void keysOfLostPartitionsAreForgotten() {
        assertThat(alice.partition()).isNotEqualTo(bob.partition());
        Barrier barrier = new Barrier();
        barrier.failed(alice, 1);
        barrier.failed(bob, 2);
        barrier.forgetPartitions(Set.of(alice.partition()));
        assertThat(barrier.blockerOf(alice, 5)).isEmpty();
        assertThat(barrier.blockerOf(bob, 5)).contains(2L);
    }
}
