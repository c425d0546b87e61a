package dev.eventpipe.configbackend.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventpipe.configbackend.account.LoginThrottle.Attempt;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    static final User ALICE = new User("u1", "alice@test.local", "Alice", "hash", false, Instant.EPOCH, false);
    static final Supplier<Optional<User>> WRONG = Optional::empty;
    static final Supplier<Optional<User>> RIGHT = () -> Optional.of(ALICE);
    static final Supplier<Optional<User>> NOT_CHECKED = () -> {
        throw new AssertionError("the password was checked");
    };

    final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final LoginThrottle throttle = throttle(true);

    @Test
    void anEmailAddressIsRefusedFromTheClientAddressThatFailedWhateverItsSpellingWithoutCheckingThePassword() {
        for (int i = 0; i < 3; i++) throttle.attempt("alice@test.local", "10.0.0.1", WRONG);

        Attempt attempt = throttle.attempt(" Alice@Test.LOCAL ", "10.0.0.1", NOT_CHECKED);
        assertThat(attempt).isEqualTo(new Attempt.Throttled(Duration.ofMinutes(15)));
        assertThat(((Attempt.Throttled) attempt).retryAfterSeconds()).isEqualTo(900);
        assertThat(throttle.attempt("bob@test.local", "10.0.0.1", RIGHT)).isInstanceOf(Attempt.LoggedIn.class);
    }

    @Test
    void failuresFromOtherClientAddressesNeverLockTheOwnerOut() {
        for (int i = 0; i < 4; i++) {
            for (int n = 0; n < 3; n++) throttle.attempt("alice@test.local", "203.0.113." + i, WRONG);
        }

        assertThat(throttle.attempt("alice@test.local", "198.51.100.7", RIGHT)).isInstanceOf(Attempt.LoggedIn.class);
        assertThat(throttle.attempt("alice@test.local", "203.0.113.0", NOT_CHECKED))
                .isInstanceOf(Attempt.Throttled.class);
    }

    @Test
    void aClientAddressIsRefusedAfterFailuresForManyEmailAddresses() {
        for (int i = 0; i < 5; i++) throttle.attempt("user" + i + "@test.local", "10.0.0.1", WRONG);

        assertThat(throttle.attempt("alice@test.local", "10.0.0.1", NOT_CHECKED))
                .isInstanceOf(Attempt.Throttled.class);
        assertThat(throttle.attempt("alice@test.local", "10.0.0.2", RIGHT)).isInstanceOf(Attempt.LoggedIn.class);
    }

    @Test
    void aSuccessClearsTheEmailAddressCountButNotTheClientAddressCount() {
        throttle.attempt("alice@test.local", "10.0.0.1", WRONG);
        throttle.attempt("alice@test.local", "10.0.0.1", WRONG);
        assertThat(throttle.attempt("alice@test.local", "10.0.0.1", RIGHT)).isInstanceOf(Attempt.LoggedIn.class);
        throttle.attempt("alice@test.local", "10.0.0.1", WRONG);
        throttle.attempt("alice@test.local", "10.0.0.1", WRONG);
        assertThat(throttle.attempt("alice@test.local", "10.0.0.1", RIGHT)).isInstanceOf(Attempt.LoggedIn.class);

        throttle.attempt("bob@test.local", "10.0.0.1", WRONG);
        assertThat(throttle.attempt("alice@test.local", "10.0.0.1", NOT_CHECKED))
                .as("five failures from the client address")
                .isInstanceOf(Attempt.Throttled.class);
    }

    @Test
    void aPasswordCheckThatBreaksCountsForNothing() {
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> throttle.attempt("alice@test.local", "10.0.0.1", () -> {
                        throw new IllegalStateException("database down");
                    }))
                    .hasMessage("database down");
        }
        assertThat(throttle.attempt("alice@test.local", "10.0.0.1", RIGHT)).isInstanceOf(Attempt.LoggedIn.class);
    }

    @Test
    void aDisabledThrottleChecksEveryPassword() {
        LoginThrottle disabled = throttle(false);
        for (int i = 0; i < 10; i++) disabled.attempt("alice@test.local", "10.0.0.1", WRONG);
        assertThat(disabled.attempt("alice@test.local", "10.0.0.1", RIGHT)).isInstanceOf(Attempt.LoggedIn.class);
    }

    @Test
    void retryAfterIsRoundedUpToWholeSeconds() {
        assertThat(new Attempt.Throttled(Duration.ofMillis(1)).retryAfterSeconds())
                .isEqualTo(1);
        assertThat(new Attempt.Throttled(Duration.ofMillis(1001)).retryAfterSeconds())
                .isEqualTo(2);
    }

    private LoginThrottle throttle(boolean enabled) {
        return new LoginThrottle(new LoginThrottleProperties(enabled, 3, 5, Duration.ofMinutes(15), 1000), () -> now);
    }
}
