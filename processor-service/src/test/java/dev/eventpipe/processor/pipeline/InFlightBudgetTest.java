package dev.eventpipe.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightBudgetTest {
    @Test
    void theRoomIsTheBytesLeftAndAFullPipelineHasNone() throws Exception {
        InFlightBudget budget = new InFlightBudget(2, 1_000);
        assertThat(budget.awaitRoom(Duration.ZERO)).isEqualTo(1_000);
        budget.add(300);
        assertThat(budget.awaitRoom(Duration.ZERO)).isEqualTo(700);
        budget.add(100);
        assertThat(budget.awaitRoom(Duration.ZERO)).as("two batches: full").isZero();
        budget.release(300);
        assertThat(budget.awaitRoom(Duration.ZERO)).isEqualTo(900);
        assertThat(budget.batches()).isEqualTo(1);
        assertThat(budget.bytes()).isEqualTo(100);
    }

    @Test
    void bytesOverTheLimitLeaveNoRoomUntilReleased() throws Exception {
        InFlightBudget budget = new InFlightBudget(4, 1_000);
        budget.add(1_500); // one oversized job: a fetch always returns at least one
        assertThat(budget.awaitRoom(Duration.ZERO)).isZero();
        budget.release(1_500);
        assertThat(budget.awaitRoom(Duration.ZERO)).isEqualTo(1_000);
    }

    @Test
    void aWaitingFetchGetsRoomWhenABatchIsReleased() throws Exception {
        InFlightBudget budget = new InFlightBudget(1, 1_000);
        budget.add(10);
        CompletableFuture<Long> room = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.awaitRoom(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        budget.release(10);
        assertThat(room.get(1, TimeUnit.MINUTES)).isEqualTo(1_000);
    }

    @Test
    void emptyOnlyWhenEveryBatchIsReleased() throws Exception {
        InFlightBudget budget = new InFlightBudget(3, 1_000);
        budget.add(1);
        budget.add(2);
        assertThat(budget.awaitEmpty(Duration.ZERO)).isFalse();
        budget.release(1);
        assertThat(budget.awaitEmpty(Duration.ZERO)).isFalse();
        budget.release(2);
        assertThat(budget.awaitEmpty(Duration.ZERO)).isTrue();
        assertThatThrownBy(() -> budget.release(1)).isInstanceOf(IllegalStateException.class);
    }
}
