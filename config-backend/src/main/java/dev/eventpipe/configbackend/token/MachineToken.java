package dev.eventpipe.configbackend.token;

import dev.eventpipe.configbackend.access.Role;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A token as listed: never its value, which is answered once at creation ({@link Created}). {@code role} is null
 * for workspace tokens (they only read the data-plane config). {@code expiresAt} null: never expires (API tokens
 * may be given an expiry; workspace tokens have none).
 */
public record MachineToken(
        String id,
        String workspaceId,
        String name,
        @Nullable Role role,
        String createdBy,
        Instant createdAt,
        @Nullable Instant lastUsedAt,
        @Nullable Instant expiresAt) {

    /** A new token with its value, shown this once. */
    public record Created(MachineToken token, String value) {}
}
