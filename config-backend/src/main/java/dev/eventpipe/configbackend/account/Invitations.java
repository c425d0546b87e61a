package dev.eventpipe.configbackend.account;

import dev.eventpipe.configbackend.Identifiers;
import dev.eventpipe.configbackend.access.Role;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * One-time invitations to a workspace: a secret token (only its SHA-256 hash is kept), bound to one e-mail address
 * and role, usable once before it expires.
 */
@Component
class Invitations {
    record Created(String id, String token, Instant expiresAt) {}

    record Open(String id, String workspaceId, String email, Role role) {}

    private static final String INSERT = """
            INSERT INTO cp_invitation (id, token_hash, workspace_id, email, role, expires_at)
            VALUES (:id, :hash, :workspace, :email, :role, :expires)
            """;
    private static final String FIND = """
            SELECT id, workspace_id, email, role FROM cp_invitation
            WHERE token_hash = :hash AND used_at IS NULL AND expires_at > now()
            FOR UPDATE
            """;
    private static final String USE = "UPDATE cp_invitation SET used_at = now() WHERE id = :id AND used_at IS NULL";

    private final JdbcClient jdbc;
    private final Duration ttl;

    Invitations(JdbcClient jdbc, @Value("${configbackend.security.invitation-ttl:7d}") Duration ttl) {
        this.jdbc = jdbc;
        this.ttl = ttl;
    }

    Created create(String workspaceId, String email, Role role) {
        String id = Identifiers.newId();
        String token = Identifiers.newSecret("epi_");
        Instant expires = Instant.now().plus(ttl);
        jdbc.sql(INSERT)
                .param("id", id)
                .param("hash", Identifiers.hash(token))
                .param("workspace", workspaceId)
                .param("email", Users.normalize(email))
                .param("role", role.name())
                .param("expires", Timestamp.from(expires))
                .update();
        return new Created(id, token, expires);
    }

    /** The invitation behind the token if it is unused and unexpired, locked until the transaction ends. */
    Optional<Open> open(String token) {
        return jdbc.sql(FIND)
                .param("hash", Identifiers.hash(token))
                .query((rs, n) ->
                        new Open(rs.getString(1), rs.getString(2), rs.getString(3), Role.valueOf(rs.getString(4))))
                .optional();
    }

    boolean use(Open invitation) {
        return jdbc.sql(USE).param("id", invitation.id()).update() == 1;
    }
}
