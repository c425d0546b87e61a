package dev.eventpipe.configbackend.workspace;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A workspace: the unit of isolation; everything else belongs to exactly one. */
@Table("cp_workspace")
public record Workspace(@Id String id, String name, Instant createdAt, Instant updatedAt) {}
