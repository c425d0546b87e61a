package dev.eventpipe.configbackend.destination;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A configured destination. {@code config} is a JSON object whose secret fields are encrypted; {@code revisionId}
 * changes with every update; {@code transformationVersionId} pins a user transformation version, if any.
 */
@Table("cp_destination")
public record Destination(
        @Id String id,
        String workspaceId,
        String name,
        String definitionName,
        String config,
        boolean enabled,
        @Nullable String transformationVersionId,
        String revisionId,
        Instant createdAt,
        Instant updatedAt) {}
