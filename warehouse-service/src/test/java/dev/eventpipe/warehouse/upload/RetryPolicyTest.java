package dev.eventpipe.warehouse.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.warehouse.config.WarehouseProperties;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    final RetryPolicy policy = new RetryPolicy(new WarehouseProperties.Uploads(
            Duration.ofSeconds(5),
            2,
            Duration.ofMinutes(30),
            Duration.ofSeconds(60),
            Duration.ofMinutes(30),
            3,
            Duration.ofHours(3),
            Duration.ofSeconds(10),
            Duration.ofMinutes(30),
            1600));

    @Test
    void backoffDoublesUpToTheMaximum() {
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(policy.backoff(6)).isEqualTo(Duration.ofMinutes(30));
        assertThat(policy.backoff(60)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void anUploadIsAbortedOnlyWhenBothAttemptsAndTheWindowAreSpent() {
        Instant first = Instant.parse("2024-05-01T10:00:00Z");
        assertThat(policy.exhausted(3, first, first.plus(Duration.ofHours(2)))).isFalse();
        assertThat(policy.exhausted(2, first, first.plus(Duration.ofHours(4)))).isFalse();
        assertThat(policy.exhausted(3, first, first.plus(Duration.ofHours(3)))).isTrue();
    }
}
