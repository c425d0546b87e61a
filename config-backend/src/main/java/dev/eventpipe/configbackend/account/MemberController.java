package dev.eventpipe.configbackend.account;

import dev.eventpipe.configbackend.Identifiers;
import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import dev.eventpipe.configbackend.audit.AuditLog;
import dev.eventpipe.configbackend.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
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
 * Members of a workspace. Any member lists them; admins change roles and remove members. Adding a person:
 *
 * <ul>
 *   <li>an instance administrator adding an e-mail that has no account creates it, with the given password or a
 *       generated one answered once, and the account must change that password at first log-in;
 *   <li>everything else (a workspace admin, an ADMIN API token, or an e-mail that already has an account) answers a
 *       one-time, expiring invitation token for that e-mail, the same answer whether the address has an account or
 *       not; nobody gets an existing account's membership without its owner accepting while logged in;
 *   <li>only instance administrators may set a password: a {@code password} from anyone else is 403.
 * </ul>
 *
 * {@code POST /api/v1/invitations/accept} takes the token. A logged-in person whose e-mail is the invited one joins
 * ({@code 200}), and the token is used up. Without a log-in nobody joins and the token stays open: the answer is
 * {@code 202} "log in and accept again", the same status and body whether or not the address has an account, and
 * carries no session; only when the address has no account is one made, with the password given (chosen by whoever
 * holds the link, so not flagged for a change). The password is checked and hashed before the account is looked up,
 * so a refusal and the time taken do not depend on it either. Whoever holds the link learns nothing from the answer;
 * what stays is that the password given logs in only if the account was new (SECURITY.md, Accounts, "Left").
 */
@RestController
class MemberController {
    record Member(String userId, String email, String name, Role role) {}

    record AddMember(
            @NotBlank @Email String email,
            @NotNull Role role,
            @Nullable String name,
            @Nullable String password) {}

    record Invitation(String id, String email, Role role, Instant expiresAt, String token) {}

    /** Either {@code member} (an instance admin created the account) or {@code invitation}; never both. */
    record Added(
            @Nullable Member member,
            @Nullable String initialPassword,
            @Nullable Invitation invitation) {}

    record Accept(
            @NotBlank String token,
            @Nullable String password,
            @Nullable String name) {}

    record Joined(String workspaceId, Role role) {}

    /** The answer to every anonymous accept of a valid invitation, whether or not the address has an account. */
    record LogInToJoin(String email, String workspaceId, Role role, String detail) {}

    record RoleChange(@NotNull Role role) {}

    private final Users users;
    private final Memberships memberships;
    private final WorkspaceAccess access;
    private final AuditLog audit;
    private final Invitations invitations;

    MemberController(
            Users users, Memberships memberships, WorkspaceAccess access, AuditLog audit, Invitations invitations) {
        this.invitations = invitations;
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
        boolean instanceAdmin = actor instanceof Caller.Person p && p.instanceAdmin();
        String password = request.password();
        boolean passwordGiven = password != null && !password.isBlank();
        if (passwordGiven && !instanceAdmin) {
            throw new ApiException.Forbidden("only instance administrators create accounts with a password; "
                    + "leave the password out to answer an invitation");
        }
        if (instanceAdmin) {
            User existing = users.byEmail(request.email()).orElse(null);
            if (existing == null) {
                String initialPassword = passwordGiven ? null : Identifiers.newSecret("");
                User user = users.create(
                        request.email(),
                        request.name() == null ? "" : request.name(),
                        passwordGiven ? password : initialPassword,
                        false,
                        true);
                memberships.grant(workspaceId, user.id(), request.role());
                audit.record(
                        workspaceId, actor, "member.added", "user", user.id(), user.email() + " as " + request.role());
                return new Added(
                        new Member(user.id(), user.email(), user.name(), request.role()), initialPassword, null);
            }
        }
        Invitations.Created created = invitations.create(workspaceId, request.email(), request.role());
        audit.record(
                workspaceId,
                actor,
                "member.invited",
                "invitation",
                created.id(),
                Users.normalize(request.email()) + " as " + request.role());
        return new Added(
                null,
                null,
                new Invitation(
                        created.id(),
                        Users.normalize(request.email()),
                        request.role(),
                        created.expiresAt(),
                        created.token()));
    }

    @PostMapping("/api/v1/invitations/accept")
    @Transactional
    ResponseEntity<?> accept(@Valid @RequestBody Accept request) {
        Invitations.Open invitation = invitations
                .open(request.token())
                .orElseThrow(() -> new ApiException.NotFound("invitation (unknown, used or expired)"));
        Caller caller = access.callerIfAny().orElse(null);
        if (caller == null)
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(acceptWithoutLogIn(invitation, request));
        if (!(caller instanceof Caller.Person p)) throw new ApiException.Forbidden("only people accept invitations");
        if (!Users.normalize(p.email()).equals(invitation.email())) {
            throw new ApiException.NotFound("invitation (unknown, used or expired)");
        }
        User user = users.byId(p.userId()).orElseThrow(() -> new ApiException.NotFound("user"));
        if (!invitations.use(invitation)) throw new ApiException.NotFound("invitation (unknown, used or expired)");
        memberships.grant(invitation.workspaceId(), user.id(), invitation.role());
        audit.record(
                invitation.workspaceId(),
                caller,
                "member.joined",
                "user",
                user.id(),
                user.email() + " as " + invitation.role());
        return ResponseEntity.ok(new Joined(invitation.workspaceId(), invitation.role()));
    }

    /**
     * Makes the invited address's account if it has none; joins nothing and leaves the invitation open. Every step
     * that could answer differently (the password's checks, its hash) comes before the account is looked up, and
     * nothing the workspace's members can read (members, the workspace's audit log) changes.
     */
    private LogInToJoin acceptWithoutLogIn(Invitations.Open invitation, Accept request) {
        String password = request.password();
        if (password == null || password.isBlank()) {
            throw new ApiException.Invalid("password", "is required to accept without a log-in");
        }
        Users.NewPassword chosen = users.newPassword(password);
        users.createIfAbsent(invitation.email(), request.name() == null ? "" : request.name(), chosen)
                .ifPresent(id -> audit.record(
                        null,
                        new Caller.Person(id, invitation.email(), false, false),
                        "user.created",
                        "user",
                        id,
                        invitation.email() + " by opening invitation " + invitation.id()));
        return new LogInToJoin(
                invitation.email(),
                invitation.workspaceId(),
                invitation.role(),
                "log in as " + invitation.email() + " and accept this invitation again to join the workspace");
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
