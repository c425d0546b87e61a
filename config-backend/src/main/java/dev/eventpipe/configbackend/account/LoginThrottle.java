package dev.eventpipe.configbackend.account;

import dev.eventpipe.configbackend.Identifiers;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Slows password guessing without handing anyone a way to lock the owner out (review P2-6). Failures are counted per
 * (e-mail address, client address) pair and per client address: after too many recent failures that pair, or that
 * client address, is refused without checking the password until the oldest failure leaves the window, so guessing
 * costs the attacker the window rather than a bcrypt hash. The owner, logging in from another address, is not
 * affected by someone else's failures: no account-wide lock exists. A success forgets the pair's failures (not the
 * client address's: one valid account must not reset the count for guessing others). Unknown e-mail addresses are
 * counted like known ones, so a refusal does not tell whether an account exists. Counts live in this instance's
 * memory and start from zero on restart.
 */
@Component
class LoginThrottle {
    sealed interface Attempt {
        record LoggedIn(User user) implements Attempt {}

        record WrongCredentials() implements Attempt {}

        record Throttled(Duration retryAfter) implements Attempt {
            /** Whole seconds for {@code Retry-After}, rounded up so a client that waits them is admitted. */
            long retryAfterSeconds() {
                return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
            }
        }
    }

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private final boolean enabled;
    private final FailureWindow emails;
    private final FailureWindow clients;

    @Autowired
    LoginThrottle(LoginThrottleProperties properties) {
        this(properties, InstantSource.system());
    }

    LoginThrottle(LoginThrottleProperties properties, InstantSource clock) {
        this.enabled = properties.enabled();
        this.emails = new FailureWindow(
                properties.maxFailuresPerEmail(), properties.window(), properties.maxTrackedKeys(), clock);
        this.clients = new FailureWindow(
                properties.maxFailuresPerIp(), properties.window(), properties.maxTrackedKeys(), clock);
    }

    /** Runs {@code passwordCheck} for {@code email} from {@code clientAddress} unless either is refused. */
    Attempt attempt(String email, String clientAddress, Supplier<Optional<User>> passwordCheck) {
        if (!enabled) return outcome(passwordCheck.get());
        // fixed size, however long the input; the pair, so failures from elsewhere never refuse this client
        String account = Identifiers.hash(Users.normalize(email) + "\n" + clientAddress);
        Optional<Duration> wait = emails.begin(account);
        if (wait.isPresent()) return new Attempt.Throttled(wait.get());
        wait = clients.begin(clientAddress);
        if (wait.isPresent()) {
            emails.released(account);
            return new Attempt.Throttled(wait.get());
        }
        Optional<User> user;
        try {
            user = passwordCheck.get();
        } catch (Throwable e) { // the database, not the password: counts for nothing
            emails.released(account);
            clients.released(clientAddress);
            throw e;
        }
        record(account, clientAddress, user.isPresent());
        return outcome(user);
    }

    private void record(String account, String clientAddress, boolean succeeded) {
        if (succeeded) {
            emails.succeeded(account);
            clients.released(clientAddress);
            return;
        }
        if (emails.failed(account)) {
            log.atWarn()
                    .addKeyValue("clientAddress", clientAddress)
                    .log(
                            "log-ins for an e-mail address from a client address are refused for a while after repeated failures");
        }
        if (clients.failed(clientAddress)) {
            log.atWarn()
                    .addKeyValue("clientAddress", clientAddress)
                    .log("log-ins from a client address are refused for a while after repeated failures");
        }
    }

    private static Attempt outcome(Optional<User> user) {
        return user.<Attempt>map(Attempt.LoggedIn::new).orElseGet(Attempt.WrongCredentials::new);
    }
}
