package dev.eventpipe.configbackend.access;

import dev.eventpipe.configbackend.Identifiers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finds the caller behind a bearer token (session or API token), a session cookie or a workspace token, by the token's
 * hash.
 */
@Component
class TokenResolver {
    static final String API_TOKEN_PREFIX = "ept_";
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    // A session in use: before its expiry and used within the idle timeout. Its last use is written at most once a
    // minute, so a busy web app does not write on every request.
    private static final String SESSION = """
            WITH live AS (
                SELECT s.id, s.last_used_at, u.id AS user_id, u.email, u.instance_admin, u.must_change_password
                FROM cp_session s JOIN cp_user u ON u.id = s.user_id
                WHERE s.token_hash = :hash AND s.expires_at > :now AND s.last_used_at > :idleSince),
            touched AS (
                UPDATE cp_session SET last_used_at = :now
                WHERE id IN (SELECT id FROM live WHERE last_used_at < :touchBefore))
            SELECT user_id, email, instance_admin, must_change_password FROM live
            """;
    private static final String API_TOKEN = """
            UPDATE cp_api_token SET last_used_at = :now
            WHERE token_hash = :hash AND (expires_at IS NULL OR expires_at > :now)
            RETURNING id, name, workspace_id, role
            """;
    private static final String WORKSPACE_TOKEN =
            "SELECT workspace_id FROM cp_workspace_token WHERE token_hash = :hash";

    private final JdbcClient jdbc;
    private final byte[] instanceSecret;
    private final Duration sessionIdleTimeout;

    TokenResolver(
            JdbcClient jdbc,
            DataPlaneProperties dataPlane,
            @Value("${configbackend.security.session-idle-timeout:2h}") Duration sessionIdleTimeout) {
        this.jdbc = jdbc;
        this.instanceSecret = dataPlane.secret().getBytes(StandardCharsets.UTF_8);
        this.sessionIdleTimeout = sessionIdleTimeout;
    }

    /** A bearer token: an API token ({@value #API_TOKEN_PREFIX}…) or a log-in session's token. */
    Optional<Caller> bearer(String token) {
        if (token.startsWith(API_TOKEN_PREFIX)) {
            return jdbc.sql(API_TOKEN)
                    .param("hash", Identifiers.hash(token))
                    .param("now", java.sql.Timestamp.from(Instant.now()))
                    .query((rs, n) -> (Caller) new Caller.Automation(
                            rs.getString(1), rs.getString(2), rs.getString(3), Role.valueOf(rs.getString(4))))
                    .optional();
        }
        return session(token);
    }

    /** A log-in session's token only (what the web app's cookie carries): never an API token. */
    Optional<Caller> session(String token) {
        if (token.startsWith(API_TOKEN_PREFIX)) return Optional.empty();
        Instant now = Instant.now();
        return jdbc.sql(SESSION)
                .param("hash", Identifiers.hash(token))
                .param("now", Timestamp.from(now))
                .param("idleSince", Timestamp.from(now.minus(sessionIdleTimeout)))
                .param("touchBefore", Timestamp.from(now.minus(TOUCH_EVERY)))
                .query((rs, n) -> (Caller)
                        new Caller.Person(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4)))
                .optional();
    }

    /** A workspace token (that workspace), or the instance-wide data-plane secret (every workspace). */
    Optional<Caller> workspaceToken(String token) {
        if (instanceSecret.length > 0
                && MessageDigest.isEqual(instanceSecret, token.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Caller.DataPlane(null));
        }
        return jdbc.sql(WORKSPACE_TOKEN)
                .param("hash", Identifiers.hash(token))
                .query((rs, n) -> (Caller) new Caller.DataPlane(rs.getString(1)))
                .optional();
    }
}
