package dev.eventpipe.configbackend.audit;

import dev.eventpipe.configbackend.access.Caller;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Records every change (who, what, when) and marks the workspace as changed, which moves the {@code updatedAt} the
 * data plane sees. Runs in the caller's transaction, so a change and its record commit together.
 */
@Component
public class AuditLog {
    private static final String INSERT = """
            INSERT INTO cp_audit_log (workspace_id, actor, action, target_type, target_id, summary)
            VALUES (:workspace, :actor, :action, :type, :target, :summary)
            """;
    private static final String TOUCH = "UPDATE cp_workspace SET updated_at = clock_timestamp() WHERE id = :workspace";
    private static final String LIST = """
            SELECT id, workspace_id, actor, action, target_type, target_id, summary, at
            FROM cp_audit_log
            WHERE workspace_id = :workspace AND id < :before
            ORDER BY id DESC
            LIMIT :limit
            """;

    private final JdbcClient jdbc;

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void record(
            @Nullable String workspaceId,
            Caller actor,
            String action,
            String targetType,
            @Nullable String targetId,
            String summary) {
        jdbc.sql(INSERT)
                .param("workspace", workspaceId)
                .param("actor", actor.name())
                .param("action", action)
                .param("type", targetType)
                .param("target", targetId)
                .param("summary", summary)
                .update();
        if (workspaceId != null) jdbc.sql(TOUCH).param("workspace", workspaceId).update();
    }

    /** Newest first; {@code before} pages backwards by entry id. */
    List<AuditEntry> list(String workspaceId, long before, int limit) {
        return jdbc.sql(LIST)
                .param("workspace", workspaceId)
                .param("before", before)
                .param("limit", limit)
                .query(AuditEntry.class)
                .list();
    }
}
