package dev.eventpipe.configbackend.account;

import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import dev.eventpipe.configbackend.account.LoginThrottle.Attempt;
import dev.eventpipe.configbackend.audit.AuditLog;
import dev.eventpipe.configbackend.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Log-in for people: {@code POST /api/v1/auth/login} answers a bearer token that the web app sends as
 * {@code Authorization: Bearer <token>} on every call until it expires or {@code POST /api/v1/auth/logout}. Repeated
 * failures for one e-mail or client address are answered 429 for a while ({@link LoginThrottle}).
 */
@RestController
class AuthController {
    record LoginRequest(@NotBlank String email, @NotBlank String password) {}

    record LoginResponse(String token, Instant expiresAt, Me user) {}

    record Me(
            String id,
            String email,
            String name,
            boolean instanceAdmin,
            boolean mustChangePassword,
            List<WorkspaceRole> workspaces) {}

    record WorkspaceRole(String workspaceId, Role role) {}

    record PasswordChange(
            @NotBlank String currentPassword, @NotBlank String newPassword) {}

    private final Users users;
    private final Sessions sessions;
    private final Memberships memberships;
    private final WorkspaceAccess access;
    private final AuditLog audit;
    private final LoginThrottle throttle;

    AuthController(
            Users users,
            Sessions sessions,
            Memberships memberships,
            WorkspaceAccess access,
            AuditLog audit,
            LoginThrottle throttle) {
        this.users = users;
        this.sessions = sessions;
        this.memberships = memberships;
        this.access = access;
        this.audit = audit;
        this.throttle = throttle;
    }

    @PostMapping("/api/v1/auth/login")
    ResponseEntity<?> login(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        Attempt attempt = throttle.attempt(
                request.email(), http.getRemoteAddr(), () -> users.authenticate(request.email(), request.password()));
        return switch (attempt) {
            case Attempt.LoggedIn(User user) -> {
                Sessions.Opened session = sessions.open(user.id());
                yield ResponseEntity.ok(new LoginResponse(session.token(), session.expiresAt(), me(user)));
            }
            case Attempt.WrongCredentials w ->
                ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                        .body(ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, "wrong e-mail or password"));
            case Attempt.Throttled t ->
                ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                        .header(HttpHeaders.RETRY_AFTER, String.valueOf(t.retryAfterSeconds()))
                        .body(ProblemDetail.forStatusAndDetail(
                                HttpStatus.TOO_MANY_REQUESTS,
                                "too many failed log-ins; try again in " + t.retryAfterSeconds() + " seconds"));
        };
    }

    @PostMapping("/api/v1/auth/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logout(@RequestHeader("Authorization") String authorization) {
        access.requirePerson();
        sessions.close(authorization.substring("Bearer ".length()).trim());
    }

    /** Ends every session of the caller's account, this one included (a lost laptop, a shared computer). */
    @PostMapping("/api/v1/auth/logout-all")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logoutEverywhere() {
        Caller.Person person = access.requirePerson();
        int ended = sessions.closeAll(person.userId());
        audit.record(null, person, "user.logged-out-everywhere", "user", person.userId(), ended + " sessions");
    }

    @GetMapping("/api/v1/auth/me")
    Object me() {
        return switch (access.caller()) {
            case Caller.Person p -> me(users.byId(p.userId()).orElseThrow(() -> new ApiException.NotFound("user")));
            case Caller.Automation a -> a;
            case Caller.DataPlane d -> d;
        };
    }

    @PutMapping("/api/v1/auth/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void changePassword(
            @Valid @RequestBody PasswordChange request, @RequestHeader("Authorization") String authorization) {
        Caller.Person person = access.requirePerson();
        User user = users.authenticate(person.email(), request.currentPassword())
                .orElseThrow(() -> new ApiException.Invalid("currentPassword", "is wrong"));
        users.changePassword(user, request.newPassword());
        // whoever else held a session (a stolen token, a forgotten browser) is logged out; this session stays
        sessions.closeOthers(
                user.id(), authorization.substring("Bearer ".length()).trim());
        audit.record(null, person, "user.password-changed", "user", user.id(), user.email());
    }

    private Me me(User user) {
        List<WorkspaceRole> roles = memberships.ofUser(user.id()).stream()
                .map(m -> new WorkspaceRole(m.workspaceId(), m.role()))
                .toList();
        return new Me(user.id(), user.email(), user.name(), user.instanceAdmin(), user.mustChangePassword(), roles);
    }
}
