package dev.eventpipe.configbackend.access;

import dev.eventpipe.configbackend.Identifiers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Finds the caller behind a bearer token (session or API token) or a workspace token, by the token's hash. */
@Component
class TokenResolver {
    static final String API_TOKEN_PREFIX = "ept_";

    private static final String SESSION = """
            SELECT u.id, u.email, u.instance_admin, u.must_change_password
            FROM cp_session s JOIN cp_user u ON u.id = s.user_id
            WHERE s.token_hash = :hash AND s.expires_at > :now
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

    TokenResolver(JdbcClient jdbc, DataPlaneProperties dataPlane) {
        this.jdbc = jdbc;
        this.instanceSecret = dataPlane.secret().getBytes(StandardCharsets.UTF_8);
    }

    Optional<Caller> bearer(String token) {
        String hash = Identifiers.hash(token);
        if (token.startsWith(API_TOKEN_PREFIX)) {
            return jdbc.sql(API_TOKEN)
                    .param("hash", hash)
                    .param("now", java.sql.Timestamp.from(Instant.now()))
                    .query((rs, n) -> (Caller) new Caller.Automation(
                            rs.getString(1), rs.getString(2), rs.getString(3), Role.valueOf(rs.getString(4))))
                    .optional();
        }
        return jdbc.sql(SESSION)
                .param("hash", hash)
                .param("now", java.sql.Timestamp.from(Instant.now()))
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
