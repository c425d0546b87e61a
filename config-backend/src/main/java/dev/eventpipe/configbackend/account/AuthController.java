package dev.eventpipe.configbackend.account;

import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.access.SessionCookie;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import dev.eventpipe.configbackend.account.LoginThrottle.Attempt;
import dev.eventpipe.configbackend.audit.AuditLog;
import dev.eventpipe.configbackend.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Log-in for people: {@code POST /api/v1/auth/login} opens a session and answers it twice: as the web app's HttpOnly
 * session cookie ({@link SessionCookie}), and as a bearer token in the body for scripts, which send it as
 * {@code Authorization: Bearer <token>}. A log-in from the web app (it sends {@value SessionCookie#CSRF_HEADER})
 * gets no token in the body, so no script of the page ever sees it. The session lasts until it expires, is idle too
 * long, or {@code POST /api/v1/auth/logout}, which also clears the cookie. Repeated failures for one e-mail or client
 * address are answered 429 for a while ({@link LoginThrottle}).
 */
@RestController
class AuthController {
    record LoginRequest(@NotBlank String email, @NotBlank String password) {}

    /** {@code token} is null for the web app, which holds the session in its cookie only. */
    record LoginResponse(@Nullable String token, Instant expiresAt, Me user) {}

    /** Who the web app's session belongs to; {@code user} is null when the request carries no person's session. */
    record CurrentSession(@Nullable Me user) {}

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
    private final SessionCookie cookies;

    AuthController(
            Users users,
            Sessions sessions,
            Memberships memberships,
            WorkspaceAccess access,
            AuditLog audit,
            LoginThrottle throttle,
            SessionCookie cookies) {
        this.users = users;
        this.sessions = sessions;
        this.memberships = memberships;
        this.access = access;
        this.audit = audit;
        this.throttle = throttle;
        this.cookies = cookies;
    }

    @PostMapping("/api/v1/auth/login")
    ResponseEntity<?> login(
            @Valid @RequestBody LoginRequest request, HttpServletRequest http, HttpServletResponse httpResponse) {
        Attempt attempt = throttle.attempt(
                request.email(), http.getRemoteAddr(), () -> users.authenticate(request.email(), request.password()));
        return switch (attempt) {
            case Attempt.LoggedIn(User user) -> {
                Sessions.Opened session = sessions.open(user.id());
                cookies.set(http, httpResponse, session.token(), session.expiresAt());
                String token = SessionCookie.fromWebApp(http) ? null : session.token();
                yield ResponseEntity.ok(new LoginResponse(token, session.expiresAt(), me(user)));
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

    /**
     * Ends the session that authenticated the request and, when a bearer token came with the browser's cookie, the
     * cookie's session too: the answer clears the cookie, so its session must not live on where nobody sees it.
     */
    @PostMapping("/api/v1/auth/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logout(HttpServletRequest request, HttpServletResponse response) {
        access.requirePerson();
        Optional<String> presented = SessionCookie.presented(request);
        presented.ifPresent(sessions::close);
        cookies.read(request).filter(t -> !presented.equals(Optional.of(t))).ifPresent(sessions::close);
        cookies.clear(request, response);
    }

    /** Ends every session of the caller's account, this one included (a lost laptop, a shared computer). */
    @PostMapping("/api/v1/auth/logout-all")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logoutEverywhere(HttpServletRequest request, HttpServletResponse response) {
        Caller.Person person = access.requirePerson();
        int ended = sessions.closeAll(person.userId());
        cookies.clear(request, response);
        audit.record(null, person, "user.logged-out-everywhere", "user", person.userId(), ended + " sessions");
    }

    /**
     * Open to everyone, so that the web app can learn at start whether its cookie holds a session without a 401: the
     * person of the request's session, or {@code user: null}.
     */
    @GetMapping("/api/v1/auth/session")
    CurrentSession session() {
        return new CurrentSession(access.callerIfAny()
                .flatMap(c -> c instanceof Caller.Person p ? users.byId(p.userId()) : Optional.<User>empty())
                .map(this::me)
                .orElse(null));
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
    void changePassword(@Valid @RequestBody PasswordChange request, HttpServletRequest http) {
        Caller.Person person = access.requirePerson();
        User user = users.authenticate(person.email(), request.currentPassword())
                .orElseThrow(() -> new ApiException.Invalid("currentPassword", "is wrong"));
        users.changePassword(user, request.newPassword());
        // whoever else held a session (a stolen token, a forgotten browser) is logged out; this session stays
        String kept = SessionCookie.presented(http).orElseThrow();
        sessions.closeOthers(user.id(), kept);
        audit.record(null, person, "user.password-changed", "user", user.id(), user.email());
    }

    private Me me(User user) {
        List<WorkspaceRole> roles = memberships.ofUser(user.id()).stream()
                .map(m -> new WorkspaceRole(m.workspaceId(), m.role()))
                .toList();
        return new Me(user.id(), user.email(), user.name(), user.instanceAdmin(), user.mustChangePassword(), roles);
    }
}
