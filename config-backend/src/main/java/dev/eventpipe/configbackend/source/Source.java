package dev.eventpipe.configbackend.source;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A source: where events come from. {@code sourceType} is the source definition name ({@code HTTP},
 * {@code Javascript}...), {@code category} RudderStack's ("" for event streams, {@code webhook}...), {@code config}
 * a JSON object.
 */
@Table("cp_source")
public record Source(
        @Id String id,
        String workspaceId,
        String name,
        String sourceType,
        String category,
        String writeKey,
        boolean enabled,
        String config,
        Instant createdAt,
        Instant updatedAt) {

    Source with(String name, String sourceType, String category, boolean enabled, String config) {
        return new Source(
                id, workspaceId, name, sourceType, category, writeKey, enabled, config, createdAt, Instant.now());
    }

    Source withWriteKey(String writeKey) {
        return new Source(
                id, workspaceId, name, sourceType, category, writeKey, enabled, config, createdAt, Instant.now());
    }
}
