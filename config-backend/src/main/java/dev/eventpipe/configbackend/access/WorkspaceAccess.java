package dev.eventpipe.configbackend.access;

import dev.eventpipe.configbackend.web.ApiException;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The one place that decides whether the caller may act in a workspace. A workspace the caller has no role in is
 * reported as not found, so workspaces do not even learn of each other; a role too low is 403.
 */
@Component
public class WorkspaceAccess {
    private static final String MEMBER_ROLE =
            "SELECT role FROM cp_membership WHERE workspace_id = :workspace AND user_id = :user";

    private final JdbcClient jdbc;

    WorkspaceAccess(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Caller caller() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth instanceof CallerAuthentication c) return c.getPrincipal();
        throw new IllegalStateException("no authenticated caller");
    }

    /** The caller, or empty on an anonymous request (routes open to everyone). */
    public Optional<Caller> callerIfAny() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth instanceof CallerAuthentication c ? Optional.of(c.getPrincipal()) : Optional.empty();
    }

    /** The caller's role in the workspace, if any. */
    public Optional<Role> roleIn(String workspaceId) {
        return switch (caller()) {
            case Caller.Person p ->
                jdbc.sql(MEMBER_ROLE)
                        .param("workspace", workspaceId)
                        .param("user", p.userId())
                        .query((rs, n) -> Role.valueOf(rs.getString(1)))
                        .optional();
            case Caller.Automation a -> a.workspaceId().equals(workspaceId) ? Optional.of(a.role()) : Optional.empty();
            case Caller.DataPlane d -> Optional.empty();
        };
    }

    /**
     * Whether the caller may see that the workspace exists: a role in it, or an instance administrator (who runs the
     * installation). For answers that concern many workspaces (the suite's health).
     */
    public boolean sees(String workspaceId) {
        return (caller() instanceof Caller.Person p && p.instanceAdmin())
                || roleIn(workspaceId).isPresent();
    }

    /** Checks the caller holds at least {@code needed} in the workspace; returns the caller for the audit log. */
    public Caller require(String workspaceId, Role needed) {
        Role role = roleIn(workspaceId).orElseThrow(() -> new ApiException.NotFound("workspace " + workspaceId));
        if (!role.allows(needed)) {
            throw new ApiException.Forbidden("this needs the " + needed + " role in the workspace; you have " + role);
        }
        return caller();
    }

    /** A person allowed to create workspaces (the first admin and anyone they promote). */
    public Caller.Person requireInstanceAdmin() {
        if (caller() instanceof Caller.Person p && p.instanceAdmin()) return p;
        throw new ApiException.Forbidden("only instance administrators may do this");
    }

    /** True when the person holds EDITOR or ADMIN in at least one workspace. */
    public boolean editsAnyWorkspace(Caller.Person person) {
        return jdbc.sql("SELECT count(*) FROM cp_membership WHERE user_id = :user AND role IN ('EDITOR', 'ADMIN')")
                        .param("user", person.userId())
                        .query(Long.class)
                        .single()
                > 0;
    }

    public Caller.Person requirePerson() {
        if (caller() instanceof Caller.Person p) return p;
        throw new ApiException.Forbidden("only people who logged in may do this");
    }
}
