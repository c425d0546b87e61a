package dev.eventpipe.configbackend.account;

import dev.eventpipe.configbackend.Identifiers;
import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import dev.eventpipe.configbackend.audit.AuditLog;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Members of a workspace. Any member lists them; admins add people (creating the account when the e-mail is new,
 * with the given password or a generated one answered once), change roles and remove members.
 */
@RestController
class MemberController {
    record Member(String userId, String email, String name, Role role) {}

    record AddMember(
            @NotBlank @Email String email,
            @NotNull Role role,
            @Nullable String name,
            @Nullable String password) {}

    record Added(Member member, @Nullable String initialPassword) {}

    record RoleChange(@NotNull Role role) {}

    private final Users users;
    private final Memberships memberships;
    private final WorkspaceAccess access;
    private final AuditLog audit;

    MemberController(Users users, Memberships memberships, WorkspaceAccess access, AuditLog audit) {
        this.users = users;
        this.memberships = memberships;
        this.access = access;
        this.audit = audit;
    }

    @GetMapping("/api/v1/workspaces/{workspaceId}/members")
    List<Member> list(@PathVariable String workspaceId) {
        access.require(workspaceId, Role.VIEWER);
        return memberships.ofWorkspace(workspaceId).stream()
                .map(m -> users.byId(m.userId())
                        .map(u -> new Member(u.id(), u.email(), u.name(), m.role()))
                        .orElseThrow())
                .toList();
    }

    @PostMapping("/api/v1/workspaces/{workspaceId}/members")
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    Added add(@PathVariable String workspaceId, @Valid @RequestBody AddMember request) {
        Caller actor = access.require(workspaceId, Role.ADMIN);
        String initialPassword = null;
        User user = users.byEmail(request.email()).orElse(null);
        if (user == null) {
            String password = request.password();
            if (password == null || password.isBlank()) password = initialPassword = Identifiers.newSecret("");
            user = users.create(request.email(), request.name() == null ? "" : request.name(), password, false);
        }
        memberships.grant(workspaceId, user.id(), request.role());
        audit.record(workspaceId, actor, "member.added", "user", user.id(), user.email() + " as " + request.role());
        return new Added(new Member(user.id(), user.email(), user.name(), request.role()), initialPassword);
    }

    @PatchMapping("/api/v1/workspaces/{workspaceId}/members/{userId}")
    @Transactional
    Member changeRole(
            @PathVariable String workspaceId, @PathVariable String userId, @Valid @RequestBody RoleChange request) {
        Caller actor = access.require(workspaceId, Role.ADMIN);
        memberships.change(memberships.get(workspaceId, userId), request.role());
        User user = users.byId(userId).orElseThrow();
        audit.record(workspaceId, actor, "member.role-changed", "user", userId, user.email() + " to " + request.role());
        return new Member(user.id(), user.email(), user.name(), request.role());
    }

    @DeleteMapping("/api/v1/workspaces/{workspaceId}/members/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Transactional
    void remove(@PathVariable String workspaceId, @PathVariable String userId) {
        Caller actor = access.require(workspaceId, Role.ADMIN);
        memberships.revoke(memberships.get(workspaceId, userId));
        audit.record(workspaceId, actor, "member.removed", "user", userId, "");
    }
}
