package dev.eventpipe.router.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventpipe.jobsdb.JobState;
import dev.eventpipe.router.config.DestinationSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryRulesTest {
    static final DestinationSettings DEFAULTS = new DestinationSettings(
            8,
            1000,
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            Duration.ofSeconds(300),
            Duration.ofMinutes(180),
            3,
            Duration.ofHours(720),
            0,
            Duration.ofSeconds(1),
            100,
            Duration.ofSeconds(1),
            Duration.ofMillis(100));
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    static DeliveryResult.Retryable serverError() {
        return new DeliveryResult.Retryable(500, "", "", null);
    }

    @Test
    void backoffDoublesFromTenSecondsUpToFiveMinutes() {
        assertThat(RetryRules.backoff(1, DEFAULTS)).isEqualTo(Duration.ofSeconds(10));
        assertThat(RetryRules.backoff(2, DEFAULTS)).isEqualTo(Duration.ofSeconds(20));
        assertThat(RetryRules.backoff(5, DEFAULTS)).isEqualTo(Duration.ofSeconds(160));
        assertThat(RetryRules.backoff(6, DEFAULTS)).isEqualTo(Duration.ofSeconds(300));
        assertThat(RetryRules.backoff(60, DEFAULTS)).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void successIsSucceededAndTwoNinetyEightIsFiltered() {
        assertThat(RetryRules.next(new DeliveryResult.Delivered(204, "", ""), 1, T0, T0, DEFAULTS)
                        .state())
                .isEqualTo(JobState.SUCCEEDED);
        assertThat(RetryRules.next(new DeliveryResult.Delivered(298, "", ""), 1, T0, T0, DEFAULTS)
                        .state())
                .isEqualTo(JobState.FILTERED);
    }

    @Test
    void aRejectionIsAbortedOnTheFirstAttempt() {
        var next = RetryRules.next(new DeliveryResult.Rejected(404, "", ""), 1, T0, T0, DEFAULTS);
        assertThat(next.state()).isEqualTo(JobState.ABORTED);
        assertThat(next.statusCode()).isEqualTo(404);
    }

    @Test
    void aServerErrorIsRetriedUntilBothTheWindowAndTheAttemptsAreSpent() {
        Instant late = T0.plus(Duration.ofMinutes(181));
        assertThat(RetryRules.next(serverError(), 2, T0, late, DEFAULTS).state())
                .isEqualTo(JobState.FAILED);
        assertThat(RetryRules.next(serverError(), 9, T0, T0.plusSeconds(60), DEFAULTS)
                        .state())
                .isEqualTo(JobState.FAILED);
        assertThat(RetryRules.next(serverError(), 3, T0, late, DEFAULTS).state())
                .isEqualTo(JobState.ABORTED);
    }

    @Test
    void tooManyRequestsIsNeverAbortedByTheRetryLimitAndHonoursRetryAfter() {
        var throttled = new DeliveryResult.Retryable(429, "", "", Duration.ofSeconds(42));
        Instant late = T0.plus(Duration.ofHours(10));
        var next = RetryRules.next(throttled, 10, T0, late, DEFAULTS);
        assertThat(next.state()).isEqualTo(JobState.FAILED);
        assertThat(next.retryTime()).isEqualTo(late.plusSeconds(42));
    }

    @Test
    void aFailedAttemptIsRetriedAfterTheBackoffOfItsAttemptNumber() {
        var next = RetryRules.next(serverError(), 2, T0, T0, DEFAULTS);
        assertThat(next.retryTime()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void statusCodesAreClassifiedAsRudderStackDoes() {
        Map<Integer, Class<?>> expected = Map.of(
                200, DeliveryResult.Delivered.class,
                299, DeliveryResult.Delivered.class,
                400, DeliveryResult.Rejected.class,
                401, DeliveryResult.Rejected.class,
                408, DeliveryResult.Retryable.class,
                429, DeliveryResult.Retryable.class,
                500, DeliveryResult.Retryable.class,
                503, DeliveryResult.Retryable.class);
        expected.forEach((status, type) ->
                assertThat(HttpDelivery.classify(status, "", "", null)).isInstanceOf(type));
    }

    @Test
    void aRetryAfterLongerThanTheMaximumBackoffIsCappedAtIt() {
        var huge = new DeliveryResult.Retryable(429, "", "", Duration.ofSeconds(9_999_999));
        assertThat(RetryRules.next(huge, 1, T0, T0, DEFAULTS).retryTime()).isEqualTo(T0.plusSeconds(300));
        var small = new DeliveryResult.Retryable(429, "", "", Duration.ofSeconds(7));
        assertThat(RetryRules.next(small, 1, T0, T0, DEFAULTS).retryTime()).isEqualTo(T0.plusSeconds(7));
    }
}
