package dev.eventpipe.configbackend.transformation;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A user transformation: a name over a series of immutable code versions. */
@Table("cp_transformation")
public record Transformation(
        @Id String id,
        String workspaceId,
        String name,
        String description,
        String language,
        Instant createdAt,
        Instant updatedAt) {}
