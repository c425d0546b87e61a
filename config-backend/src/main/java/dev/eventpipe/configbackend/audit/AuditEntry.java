package dev.eventpipe.configbackend.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One change: who ({@code actor}), what ({@code action} on a target), when ({@code at}). */
public record AuditEntry(
        long id,
        String workspaceId,
        String actor,
        String action,
        String targetType,
        @Nullable String targetId,
        String summary,
        Instant at) {}
