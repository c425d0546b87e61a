package dev.eventpipe.configbackend.transformation;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * One saved code version, numbered 1, 2, ... per transformation. Never changed once written (the database
 * refuses updates): the data plane caches code by version id forever.
 */
@Table("cp_transformation_version")
public record TransformationVersion(
        @Id String id,
        String transformationId,
        String workspaceId,
        int number,
        String code,
        String language,
        String createdBy,
        Instant createdAt) {}
