package dev.eventpipe.configbackend.token;

import dev.eventpipe.configbackend.Identifiers;
import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.audit.AuditLog;
import dev.eventpipe.configbackend.web.ApiException;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens ({@code ept_...}, bearer, one workspace and role) and workspace tokens ({@code ewt_...}, the data
 * plane's Basic-auth user name). Only their SHA-256 hashes are stored.
 */
@Service
public class Tokens {
    private static final String INSERT_API = """
            INSERT INTO cp_api_token (id, workspace_id, name, role, token_hash, created_by, expires_at)
            VALUES (:id, :workspace, :name, :role, :hash, :by, :expires)
            """;
    private static final String INSERT_WORKSPACE = """
            INSERT INTO cp_workspace_token (id, workspace_id, name, token_hash, created_by)
            VALUES (:id, :workspace, :name, :hash, :by)
            """;
    private static final String LIST_API = """
            SELECT id, workspace_id, name, role, created_by, created_at, last_used_at, expires_at
            FROM cp_api_token WHERE workspace_id = :workspace ORDER BY created_at
            """;
    private static final String LIST_WORKSPACE = """
            SELECT id, workspace_id, name, NULL AS role, created_by, created_at, NULL AS last_used_at,
                   NULL::timestamptz AS expires_at
            FROM cp_workspace_token WHERE workspace_id = :workspace ORDER BY created_at
            """;

    private final JdbcClient jdbc;
    private final AuditLog audit;

    Tokens(JdbcClient jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    @Transactional
    /** An API token; {@code expiresAt} null: it never expires (revoke it to end it). */
    public MachineToken.Created createApiToken(
            String workspaceId, String name, Role role, @Nullable Instant expiresAt, Caller actor) {
        String value = Identifiers.newSecret("ept_");
        String id = Identifiers.newId();
        jdbc.sql(INSERT_API)
                .param("id", id)
                .param("workspace", workspaceId)
                .param("name", name)
                .param("role", role.name())
                .param("hash", Identifiers.hash(value))
                .param("by", actor.name())
                .param("expires", expiresAt == null ? null : java.sql.Timestamp.from(expiresAt))
                .update();
        audit.record(
                workspaceId,
                actor,
                "api-token.created",
                "api-token",
                id,
                name + " (" + role + (expiresAt == null ? "" : ", expires " + expiresAt) + ")");
        return new MachineToken.Created(
                new MachineToken(id, workspaceId, name, role, actor.name(), Instant.now(), null, expiresAt), value);
    }

    /** A workspace token; {@code value} is used as given (the operator's WORKSPACE_TOKEN) or generated when null. */
    @Transactional
    public MachineToken.Created createWorkspaceToken(
            String workspaceId, String name, @Nullable String value, Caller actor) {
        String token = value == null || value.isBlank() ? Identifiers.newSecret("ewt_") : value;
        String id = Identifiers.newId();
        jdbc.sql(INSERT_WORKSPACE)
                .param("id", id)
                .param("workspace", workspaceId)
                .param("name", name)
                .param("hash", Identifiers.hash(token))
                .param("by", actor.name())
                .update();
        audit.record(workspaceId, actor, "workspace-token.created", "workspace-token", id, name);
        return new MachineToken.Created(
                new MachineToken(id, workspaceId, name, null, actor.name(), Instant.now(), null, null), token);
    }

    List<MachineToken> list(String workspaceId, boolean api) {
        return jdbc.sql(api ? LIST_API : LIST_WORKSPACE)
                .param("workspace", workspaceId)
                .query(MachineToken.class)
                .list();
    }

    @Transactional
    void revoke(String workspaceId, String tokenId, boolean api, Caller actor) {
        String table = api ? "cp_api_token" : "cp_workspace_token";
        int deleted = jdbc.sql("DELETE FROM " + table + " WHERE id = :id AND workspace_id = :workspace")
                .param("id", tokenId)
                .param("workspace", workspaceId)
                .update();
        if (deleted == 0) throw new ApiException.NotFound("token " + tokenId);
        audit.record(workspaceId, actor, (api ? "api" : "workspace") + "-token.revoked", "token", tokenId, "");
    }
}
