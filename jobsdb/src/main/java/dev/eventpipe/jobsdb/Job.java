package dev.eventpipe.jobsdb;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A stored job with its latest status ({@code null} when unprocessed).
 *
 * @param partition the user partition, {@link UserPartition#of(String)} of the user id
 * @param payloadSize size of the payload in UTF-8 bytes
 */
public record Job(
        long jobId,
        UUID uuid,
        String userId,
        String workspaceId,
        int partition,
        String customVal,
        String parameters,
        String payload,
        int eventCount,
        int payloadSize,
        Instant createdAt,
        @Nullable JobStatus lastStatus) {

    /** The attempt number of the last status, 0 when unprocessed. */
    public int attempts() {
        return lastStatus == null ? 0 : lastStatus.attempt();
    }

    /** This job with another latest status. */
    Job withStatus(@Nullable JobStatus status) {
        return new Job(
                jobId,
                uuid,
                userId,
                workspaceId,
                partition,
                customVal,
                parameters,
                payload,
                eventCount,
                payloadSize,
                createdAt,
                status);
    }

    /** This job with its payload (read apart from the other columns). */
    Job withPayload(String payload) {
        return new Job(
                jobId,
                uuid,
                userId,
                workspaceId,
                partition,
                customVal,
                parameters,
                payload,
                eventCount,
                payloadSize,
                createdAt,
                lastStatus);
    }
}
