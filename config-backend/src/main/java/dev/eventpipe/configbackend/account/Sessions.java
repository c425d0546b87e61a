package dev.eventpipe.configbackend.account;

import dev.eventpipe.configbackend.Identifiers;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Log-in sessions: an opaque bearer token per log-in, kept as a SHA-256 hash, valid for a fixed time. */
@Component
class Sessions {
    record Opened(String token, Instant expiresAt) {}

    private static final String INSERT = """
            INSERT INTO cp_session (id, token_hash, user_id, expires_at) VALUES (:id, :hash, :user, :expires)
            """;
    private static final String DELETE = "DELETE FROM cp_session WHERE token_hash = :hash";
    private static final String PURGE = "DELETE FROM cp_session WHERE user_id = :user AND expires_at < now()";

    private final JdbcClient jdbc;
    private final Duration ttl;

    Sessions(JdbcClient jdbc, @Value("${configbackend.security.session-ttl:12h}") Duration ttl) {
        this.jdbc = jdbc;
        this.ttl = ttl;
    }

    Opened open(String userId) {
        jdbc.sql(PURGE).param("user", userId).update();
        String token = Identifiers.newSecret("eps_");
        Instant expires = Instant.now().plus(ttl);
        jdbc.sql(INSERT)
                .param("id", Identifiers.newId())
                .param("hash", Identifiers.hash(token))
                .param("user", userId)
                .param("expires", Timestamp.from(expires))
                .update();
        return new Opened(token, expires);
    }

    /** Ends every session of the user but the one holding {@code keptToken} (after a password change). */
    int closeOthers(String userId, String keptToken) {
        return jdbc.sql("DELETE FROM cp_session WHERE user_id = :user AND token_hash <> :hash")
                .param("user", userId)
                .param("hash", Identifiers.hash(keptToken))
                .update();
    }

    void close(String token) {
        jdbc.sql(DELETE).param("hash", Identifiers.hash(token)).update();
    }
}
