package dev.eventpipe.configbackend.token;

import dev.eventpipe.configbackend.access.Caller;
import dev.eventpipe.configbackend.access.Role;
import dev.eventpipe.configbackend.access.WorkspaceAccess;
import dev.eventpipe.configbackend.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Admins manage a workspace's API tokens and workspace (data-plane) tokens; values are answered once. */
@RestController
class TokenController {
    /** {@code expiresAt}: optional, in the future; after it the token is refused (401). */
    record ApiTokenRequest(
            @NotBlank String name,
            @NotNull Role role,
            @Nullable Instant expiresAt) {}

    record WorkspaceTokenRequest(@NotBlank String name) {}

    private final Tokens tokens;
    private final WorkspaceAccess access;

    TokenController(Tokens tokens, WorkspaceAccess access) {
        this.tokens = tokens;
        this.access = access;
    }

    @GetMapping("/api/v1/workspaces/{workspaceId}/api-tokens")
    List<MachineToken> apiTokens(@PathVariable String workspaceId) {
        access.require(workspaceId, Role.ADMIN);
        return tokens.list(workspaceId, true);
    }

    @PostMapping("/api/v1/workspaces/{workspaceId}/api-tokens")
    @ResponseStatus(HttpStatus.CREATED)
    MachineToken.Created createApiToken(@PathVariable String workspaceId, @Valid @RequestBody ApiTokenRequest request) {
        Caller actor = access.require(workspaceId, Role.ADMIN);
        if (request.expiresAt() != null && !request.expiresAt().isAfter(Instant.now())) {
            throw new ApiException.Invalid("expiresAt", "must be in the future");
        }
        return tokens.createApiToken(workspaceId, request.name(), request.role(), request.expiresAt(), actor);
    }

    @DeleteMapping("/api/v1/workspaces/{workspaceId}/api-tokens/{tokenId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeApiToken(@PathVariable String workspaceId, @PathVariable String tokenId) {
        tokens.revoke(workspaceId, tokenId, true, access.require(workspaceId, Role.ADMIN));
    }

    @GetMapping("/api/v1/workspaces/{workspaceId}/workspace-tokens")
    List<MachineToken> workspaceTokens(@PathVariable String workspaceId) {
        access.require(workspaceId, Role.ADMIN);
        return tokens.list(workspaceId, false);
    }

    @PostMapping("/api/v1/workspaces/{workspaceId}/workspace-tokens")
    @ResponseStatus(HttpStatus.CREATED)
    MachineToken.Created createWorkspaceToken(
            @PathVariable String workspaceId, @Valid @RequestBody WorkspaceTokenRequest request) {
        Caller actor = access.require(workspaceId, Role.ADMIN);
        return tokens.createWorkspaceToken(workspaceId, request.name(), null, actor);
    }

    @DeleteMapping("/api/v1/workspaces/{workspaceId}/workspace-tokens/{tokenId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revokeWorkspaceToken(@PathVariable String workspaceId, @PathVariable String tokenId) {
        tokens.revoke(workspaceId, tokenId, false, access.require(workspaceId, Role.ADMIN));
    }
}
