package dev.eventpipe.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    @Test
    void aBodyThatDoesNotFitIsRefusedUntilOthersGiveTheirShareBack() {
        MemoryBudget budget = new MemoryBudget(60L * 1024 * 1024); // 60 MiB: room for two 4 MiB bodies (6x each)
        MemoryBudget.Reservation first = budget.reservation();
        MemoryBudget.Reservation second = budget.reservation();
        assertThat(first.cover(4 * 1024 * 1024)).isTrue();
        assertThat(second.cover(4 * 1024 * 1024)).isTrue();
        MemoryBudget.Reservation third = budget.reservation();
        assertThat(third.cover(4 * 1024 * 1024)).isFalse();
        assertThat(third.cover(100)).isTrue();
        first.close();
        assertThat(third.cover(4 * 1024 * 1024)).isTrue();
    }

    @Test
    void aReservationGrowsChunkByChunkAndGivesEverythingBackOnce() {
        MemoryBudget budget = new MemoryBudget(6L * 1024 * 1024); // room for 1 MiB of body
        MemoryBudget.Reservation growing = budget.reservation();
        for (long covered = 64 * 1024; covered <= 1024 * 1024; covered += 64 * 1024)
            assertThat(growing.cover(covered)).isTrue();
        assertThat(growing.cover(1024 * 1024 + 64 * 1024)).isFalse();
        assertThat(budget.reservation().cover(64 * 1024)).isFalse();
        growing.close();
        growing.close();
        MemoryBudget.Reservation next = budget.reservation();
        assertThat(next.cover(1024 * 1024)).isTrue();
        assertThat(budget.reservation().cover(1)).isFalse();
    }
}
