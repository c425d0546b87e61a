package dev.eventpipe.processor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MarkOutcomeUnknownExceptionTest {
    @Test
    void anEmptyListOfJobsIsDescribedRatherThanThrowing() {
        // review 1330 P3: getFirst() on an empty list threw from the callers' catch blocks, losing the reset
        var e = new MarkOutcomeUnknownException(Set.of(3), List.of(), new IllegalStateException("x"));
        assertThat(e.jobs()).isEqualTo("no gw jobs");
        assertThat(e.partitions()).containsExactly(3);
    }
}
