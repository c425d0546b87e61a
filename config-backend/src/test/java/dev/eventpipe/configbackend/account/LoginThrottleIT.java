package dev.eventpipe.configbackend.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.eventpipe.configbackend.Api;
import dev.eventpipe.configbackend.BackendIT;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Log-in throttling over HTTP, with a window short enough to see a lock lift (own context, own counts). */
@TestPropertySource(
        properties = {
            "configbackend.security.login-throttle.window=5s",
            // the client address comes from X-Forwarded-For set by a proxy on this machine, as behind an ingress
            "server.forward-headers-strategy=native"
        })
class LoginThrottleIT extends BackendIT {
    static final String LOGIN = "/api/v1/auth/login";

    @Test
    void fiveWrongPasswordsLockTheAccountEvenForTheRightPasswordUntilTheWindowHasPassed() {
        Api admin = admin();
        String workspace = newWorkspace(admin, "Throttle " + System.nanoTime());
        String target = "target" + System.nanoTime() + "@test.local";
        String other = "other" + System.nanoTime() + "@test.local";
        member(admin, workspace, target, "VIEWER");
        member(admin, workspace, other, "VIEWER");

        for (int i = 0; i < 5; i++)
            assertThat(logIn(target, "wrong-password").status()).isEqualTo(401);
        Api.Reply refused = logIn(target.toUpperCase(), password(target));

        assertThat(refused.status()).as(refused.text()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.body().get("status").asInt()).isEqualTo(429);
        assertThat(refused.body().get("detail").asString()).contains("too many failed log-ins");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 5L);
        assertThat(logIn(other, password(other)).status())
                .as("another account, same address")
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> logIn(target, password(target)).status() == 200);
    }

    @Test
    void aSuccessfulLogInStartsTheCountAgain() {
        Api admin = admin();
        String workspace = newWorkspace(admin, "Reset " + System.nanoTime());
        String person = "reset" + System.nanoTime() + "@test.local";
        member(admin, workspace, person, "VIEWER");

        for (int i = 0; i < 4; i++)
            assertThat(logIn(person, "wrong-password").status()).isEqualTo(401);
        assertThat(logIn(person, password(person)).status()).isEqualTo(200);
        for (int i = 0; i < 4; i++)
            assertThat(logIn(person, "wrong-password").status()).isEqualTo(401);
        assertThat(logIn(person, password(person)).status()).isEqualTo(200);
    }

    /**
     * Review P2-6: an attacker on the internet who fails five times for the first admin must not lock the admin out.
     * Before the fix, the account was refused from everywhere, the right password included.
     */
    @Test
    void anAttackerFailingFromTheirAddressDoesNotLockTheOwnerOutFromTheirs() {
        Api admin = admin();
        String workspace = newWorkspace(admin, "Lock-out " + System.nanoTime());
        String owner = "owner" + System.nanoTime() + "@test.local";
        member(admin, workspace, owner, "VIEWER");

        for (int i = 0; i < 8; i++) {
            assertThat(logInFrom("203.0.113.66", owner, "guess-" + i).status()).isIn(401, 429);
        }
        Api.Reply attacker = logInFrom("203.0.113.66", owner, password(owner));
        Api.Reply ownersLogIn = logInFrom("198.51.100.20", owner, password(owner));

        assertThat(attacker.status()).as("the attacker's address stays refused").isEqualTo(429);
        assertThat(ownersLogIn.status()).as(ownersLogIn.text()).isEqualTo(200);
    }

    private Api.Reply logInFrom(String clientAddress, String email, String password) {
        return anonymous()
                .post(LOGIN, Map.of("email", email, "password", password), Map.of("X-Forwarded-For", clientAddress));
    }

    private Api.Reply logIn(String email, String password) {
        return anonymous().post(LOGIN, Map.of("email", email, "password", password));
    }

    /** The password {@link BackendIT#member} gives. */
    private static String password(String email) {
        return "password-of-" + email;
    }
}
