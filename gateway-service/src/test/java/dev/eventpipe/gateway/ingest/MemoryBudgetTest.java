package dev.eventpipe.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    @Test
    void aBodyThatDoesNotFitIsRefusedUntilOthersGiveTheirShareBack() {
        MemoryBudget budget = new MemoryBudget(60L * 1024 * 1024); // 60 MiB: room for two 4 MiB bodies (6x each)
        int first = budget.tryReserve(4 * 1024 * 1024);
        int second = budget.tryReserve(4 * 1024 * 1024);
        assertThat(first).isPositive();
        assertThat(second).isPositive();
        assertThat(budget.tryReserve(4 * 1024 * 1024)).isZero();
        assertThat(budget.tryReserve(100)).isPositive();
        budget.release(first);
        assertThat(budget.tryReserve(4 * 1024 * 1024)).isPositive();
    }
}
