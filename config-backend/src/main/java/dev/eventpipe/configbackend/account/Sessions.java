package dev.eventpipe.configbackend.account;

import dev.eventpipe.configbackend.Identifiers;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Log-in sessions: an opaque bearer token per log-in, kept as a SHA-256 hash, valid for a fixed time
 * ({@code configbackend.security.session-ttl}) and only while used ({@code session-idle-timeout}: the token resolver
 * refuses a session unused for longer). Every log-in deletes every session that can no longer be used, whoever's.
 */
@Component
class Sessions {
    record Opened(String token, Instant expiresAt) {}

    private static final String INSERT = """
            INSERT INTO cp_session (id, token_hash, user_id, expires_at) VALUES (:id, :hash, :user, :expires)
            """;
    private static final String DELETE = "DELETE FROM cp_session WHERE token_hash = :hash";
    private static final String PURGE = "DELETE FROM cp_session WHERE expires_at < now() OR last_used_at < :idleSince";

    private final JdbcClient jdbc;
    private final Duration ttl;
    private final Duration idleTimeout;

    Sessions(
            JdbcClient jdbc,
            @Value("${configbackend.security.session-ttl:12h}") Duration ttl,
            @Value("${configbackend.security.session-idle-timeout:2h}") Duration idleTimeout) {
        this.jdbc = jdbc;
        this.ttl = ttl;
        this.idleTimeout = idleTimeout;
    }

    Opened open(String userId) {
        jdbc.sql(PURGE)
                .param("idleSince", Timestamp.from(Instant.now().minus(idleTimeout)))
                .update();
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

    /** Ends every session of the user, the caller's own included ("log out everywhere"). */
    int closeAll(String userId) {
        return jdbc.sql("DELETE FROM cp_session WHERE user_id = :user")
                .param("user", userId)
                .update();
    }

    void close(String token) {
        jdbc.sql(DELETE).param("hash", Identifiers.hash(token)).update();
    }
}
