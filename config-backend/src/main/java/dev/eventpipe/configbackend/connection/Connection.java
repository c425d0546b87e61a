package dev.eventpipe.configbackend.connection;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A source feeding a destination; only enabled connections reach the data plane. */
@Table("cp_connection")
public record Connection(
        @Id String id, String workspaceId, String sourceId, String destinationId, boolean enabled, Instant createdAt) {}
